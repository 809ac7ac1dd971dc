import { describe, expect, test } from 'vitest';
import { averageRanks, isEstimate, pearson, quantileSorted, spearman, spearmanRho, type CorrelationEstimate } from '../../src/statistics/correlation.js';
import { logGamma, regularizedBeta, studentTCdf, studentTQuantile, Z_975 } from '../../src/statistics/distributions.js';
import { isFit, ols, type OlsFit } from '../../src/statistics/ols.js';
import { Rng } from '../../src/random.js';

// A small table used throughout: x = 1..5, y with a tie pair and a 4-4 tie.
const X = [1, 2, 3, 4, 5];
const Y = [2, 4, 5, 4, 5];

function estimate(result: ReturnType<typeof pearson>): CorrelationEstimate {
  if (!isEstimate(result)) throw new Error(`expected an estimate, got note: ${result.note}`);
  return result;
}

function noteOf(result: object): string {
  return 'note' in result ? String(result.note) : '(no note)';
}

function fit(result: ReturnType<typeof ols>): OlsFit {
  if (!isFit(result)) throw new Error(`expected a fit, got note: ${result.note}`);
  return result;
}

describe('distributions', () => {
  test('t quantiles match tables', () => {
    // Printed Student t tables, 6 significant digits.
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 6);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706205, 5);
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.182446, 6);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272, 6);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015048, 6);
    expect(studentTQuantile(0.995, 20)).toBeCloseTo(2.845340, 6);
  });

  test('t quantile tends to normal', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(Z_975, 5);
  });

  test('t quantile is symmetric', () => {
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 10);
  });

  test('t cdf inverts quantile', () => {
    for (const df of [1, 2.5, 9, 120]) expect(studentTCdf(studentTQuantile(0.9, df), df)).toBeCloseTo(0.9, 10);
  });

  test('t cdf with 1 df is Cauchy', () => {
    // Cauchy CDF: 1/2 + atan(t) / π.
    for (const t of [-3, -0.4, 0, 1, 5]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
  });

  test('log gamma at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  test('incomplete beta closed forms', () => {
    // I_x(1, b) = 1 - (1 - x)^b and I_x(a, 1) = x^a.
    expect(regularizedBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 13);
    expect(regularizedBeta(0.8, 3, 1)).toBeCloseTo(0.8 ** 3, 13);
    expect(regularizedBeta(0, 2, 2)).toBe(0);
    expect(regularizedBeta(1, 2, 2)).toBe(1);
  });

  test('t quantile rejects p outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('pearson', () => {
  test('small table by hand', () => {
    // Means 3 and 4; deviations dx = (-2, -1, 0, 1, 2), dy = (-2, 0, 1, 0, 1).
    // Sxy = 4 + 0 + 0 + 0 + 2 = 6, Sxx = 10, Syy = 4 + 0 + 1 + 0 + 1 = 6, r = 6 / sqrt(60).
    const r = 6 / Math.sqrt(60);
    // Fisher z = ½ ln((1 + r) / (1 - r)), standard error 1 / sqrt(n - 3) = 1 / sqrt(2).
    const z = 0.5 * Math.log((1 + r) / (1 - r));
    const halfWidth = 1.959963984540054 / Math.sqrt(2);
    const result = estimate(pearson(X, Y));
    expect(result.n).toBe(5);
    expect(result.estimate).toBeCloseTo(0.7745967, 7);
    expect(result.estimate).toBeCloseTo(r, 14);
    expect(result.lo).toBeCloseTo(Math.tanh(z - halfWidth), 12);
    expect(result.hi).toBeCloseTo(Math.tanh(z + halfWidth), 12);
    expect(result.lo).toBeCloseTo(-0.34008, 4);
    expect(result.hi).toBeCloseTo(0.98424, 4);
  });

  test('perfect line has degenerate interval', () => {
    const result = estimate(pearson([1, 2, 3, 4], [-2, -4, -6, -8]));
    expect(result.estimate).toBe(-1);
    expect(result.lo).toBe(-1);
    expect(result.hi).toBe(-1);
  });

  test('three points have no interval', () => {
    const result = estimate(pearson([1, 2, 3], [1, 3, 2]));
    expect(result.estimate).toBeCloseTo(0.5, 14);
    expect(result.lo).toBeNull();
    expect(result.hi).toBeNull();
  });

  test('two points give a note', () => {
    const result = pearson([1, 2], [3, 4]);
    expect(isEstimate(result)).toBe(false);
    expect(noteOf(result)).toMatch(/too few runs/);
  });

  test('constant variable gives a note', () => {
    const result = pearson([1, 2, 3, 4], [5, 5, 5, 5]);
    expect(isEstimate(result)).toBe(false);
    expect(noteOf(result)).toMatch(/constant/);
  });

  test('unequal lengths raise', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});

describe('spearman', () => {
  test('average ranks for ties', () => {
    // Sorted y: 2 (rank 1), 4 and 4 (ranks 2, 3 -> 2.5), 5 and 5 (ranks 4, 5 -> 4.5).
    expect(Array.from(averageRanks(Y))).toEqual([1, 2.5, 4.5, 2.5, 4.5]);
  });

  test('small table by hand', () => {
    // Rank deviations: dx = (-2, -1, 0, 1, 2), dy = (-2, -0.5, 1.5, -0.5, 1.5).
    // Sxy = 4 + 0.5 + 0 - 0.5 + 3 = 7, Sxx = 10, Syy = 4 + 0.25 + 2.25 + 0.25 + 2.25 = 9.
    expect(spearmanRho(X, Y)).toBeCloseTo(7 / Math.sqrt(90), 14);
  });

  test('monotone data has interval [1, 1]', () => {
    // Every bootstrap resample with two distinct x values is still monotone, so ρ = 1 in each.
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const result = estimate(spearman(x, x.map((value) => value ** 3), Rng.from('spearman-monotone')));
    expect(result.estimate).toBe(1);
    expect(result.lo).toBe(1);
    expect(result.hi).toBe(1);
  });

  test('bootstrap interval brackets rho', () => {
    // Bivariate normal with correlation 0.6, n = 200: the percentile interval should contain the
    // estimate and be about 2 x 1.96 x 0.05 wide.
    const rng = Rng.from('spearman-normal');
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = rng.normal();
      x.push(a);
      y.push(0.6 * a + 0.8 * rng.normal());
    }
    const result = estimate(spearman(x, y, Rng.from('bootstrap', 0)));
    expect(result.lo!).toBeLessThan(result.estimate);
    expect(result.hi!).toBeGreaterThan(result.estimate);
    expect(result.hi! - result.lo!).toBeGreaterThan(0.1);
    expect(result.hi! - result.lo!).toBeLessThan(0.35);
  });

  test('bootstrap matches naive resampling', () => {
    // Recompute the interval by materialising each resample and ranking it from scratch, drawing
    // the same n indices per resample from an identically seeded generator. Heavy ties on both
    // sides exercise the tie handling of the counting shortcut.
    const x = [1, 1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 6];
    const y = [3, 1, 1, 2, 5, 5, 4, 4, 6, 6, 2, 7];
    const resamples = 300;
    const naiveRng = Rng.from('bootstrap-equivalence');
    const estimates: number[] = [];
    for (let b = 0; b < resamples; b++) {
      const picks = Array.from({ length: x.length }, () => naiveRng.int(x.length));
      const rho = spearmanRho(picks.map((i) => x[i]), picks.map((i) => y[i]));
      if (rho !== null) estimates.push(rho);
    }
    estimates.sort((a, b) => a - b);
    const result = estimate(spearman(x, y, Rng.from('bootstrap-equivalence'), resamples));
    expect(result.lo).toBeCloseTo(quantileSorted(estimates, 0.025), 12);
    expect(result.hi).toBeCloseTo(quantileSorted(estimates, 0.975), 12);
  });

  test('same seed gives same interval', () => {
    const first = estimate(spearman(X, Y, Rng.from('seeded', 3)));
    const second = estimate(spearman(X, Y, Rng.from('seeded', 3)));
    expect(second).toEqual(first);
  });

  test('constant variable gives a note', () => {
    expect(isEstimate(spearman([1, 2, 3], [7, 7, 7], Rng.from('constant')))).toBe(false);
  });
});

describe('ols', () => {
  test('exact plane recovers coefficients', () => {
    // y = 1 + 2 x1 - 3 x2 on a non-collinear design.
    const x1 = [0, 1, 2, 3, 4, 5, 1, 3];
    const x2 = [1, 0, 2, 1, 3, 2, 5, 0];
    const y = x1.map((value, i) => 1 + 2 * value - 3 * x2[i]);
    const result = fit(ols(y, { x1, x2 }));
    expect(result.df).toBe(5);
    expect(result.coefficients.map((c) => c.name)).toEqual(['intercept', 'x1', 'x2']);
    expect(result.coefficients[0].estimate).toBeCloseTo(1, 10);
    expect(result.coefficients[1].estimate).toBeCloseTo(2, 10);
    expect(result.coefficients[2].estimate).toBeCloseTo(-3, 10);
    for (const coefficient of result.coefficients) expect(coefficient.se).toBeLessThan(1e-10);
  });

  test('simple regression by hand', () => {
    // Slope Sxy / Sxx = 6 / 10 = 0.6; intercept 4 - 0.6 x 3 = 2.2.
    // Fitted (2.8, 3.4, 4.0, 4.6, 5.2), residuals (-0.8, 0.6, 1.0, -0.6, -0.2), RSS = 2.4, σ² = 2.4 / 3.
    // se(slope) = sqrt(σ² / Sxx) = sqrt(0.08); se(intercept) = sqrt(σ² (1/5 + 3² / 10)) = sqrt(0.88).
    const t = 3.182446; // t(0.975, 3)
    const result = fit(ols(Y, { x: X }));
    const [intercept, slope] = result.coefficients;
    expect(result.sigma2).toBeCloseTo(0.8, 12);
    expect(slope.estimate).toBeCloseTo(0.6, 12);
    expect(slope.se).toBeCloseTo(Math.sqrt(0.08), 12);
    expect(slope.lo).toBeCloseTo(0.6 - t * Math.sqrt(0.08), 5);
    expect(slope.hi).toBeCloseTo(0.6 + t * Math.sqrt(0.08), 5);
    expect(intercept.estimate).toBeCloseTo(2.2, 12);
    expect(intercept.se).toBeCloseTo(Math.sqrt(0.88), 12);
  });

  test('too few rows give a note', () => {
    const result = ols([1, 2, 3], { a: [1, 2, 4], b: [0, 1, 1] });
    expect(isFit(result)).toBe(false);
    expect(noteOf(result)).toMatch(/too few runs to fit 3 coefficients/);
  });

  test('constant predictor gives a note', () => {
    const result = ols([1, 2, 3, 4, 5], { a: [2, 2, 2, 2, 2] });
    expect(noteOf(result)).toMatch(/predictor a is constant or collinear/);
  });

  test('collinear predictors give a note', () => {
    const result = ols([1, 3, 2, 5, 4], { a: [1, 2, 3, 4, 5], b: [2, 4, 6, 8, 10] });
    expect(noteOf(result)).toMatch(/predictor b/);
  });

  test('length mismatch raises', () => {
    expect(() => ols([1, 2, 3, 4], { a: [1, 2, 3] })).toThrow(RangeError);
  });
});
