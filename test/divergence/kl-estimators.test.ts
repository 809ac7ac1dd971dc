import { describe, expect, test } from 'vitest';
import { kdeKl } from '../../src/divergence/kde.js';
import { knnKl } from '../../src/divergence/knn.js';
import { Rng } from '../../src/random.js';

function normalDraws(rng: Rng, n: number, mean: number, sd: number): Float64Array {
  return Float64Array.from({ length: n }, () => mean + sd * rng.normal());
}

/** n rows of independent normal features with the given means and standard deviations. */
function gaussianRows(rng: Rng, n: number, means: number[], sds: number[]): Float64Array {
  const d = means.length;
  const rows = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) rows[i * d + f] = means[f] + sds[f] * rng.normal();
  return rows;
}

/** Mean of kdeKl over 5 seeds at 2,000 draws per side: one seed's noise is about ±0.03. */
function seedAveragedKdeKl(meanQ: number, sdQ: number): number {
  let sum = 0;
  for (let seed = 0; seed < 5; seed++) {
    const rng = Rng.from('kde-kl-test', seed);
    sum += kdeKl(normalDraws(rng, 2000, 0, 1), normalDraws(rng, 2000, meanQ, sdQ));
  }
  return sum / 5;
}

describe('kdeKl', () => {
  test('shifted unit normals give 0.5', () => {
    // KL(N(0,1) || N(1,1)) = (0 - 1)² / 2 = 0.5.
    expect(Math.abs(seedAveragedKdeKl(1, 1) - 0.5)).toBeLessThan(0.05);
  });

  test('wider normal gives ln 2 + 1/8 - 1/2', () => {
    // KL(N(0,1) || N(0,2²)) = ln(2/1) + 1 / (2 · 4) - 1/2.
    const expected = Math.log(2) + 1 / 8 - 1 / 2;
    expect(expected).toBeCloseTo(0.3181, 4);
    expect(Math.abs(seedAveragedKdeKl(0, 2) - expected)).toBeLessThan(0.05);
  });

  test('same distribution is near 0', () => {
    expect(seedAveragedKdeKl(0, 1)).toBeLessThan(0.02);
  });
});

describe('knnKl', () => {
  test('3-d gaussian pair within 0.1 of closed form', () => {
    // P = N(0, I₃), Q = N((1, 0, 0), diag(1, 4, 1)):
    // KL = ½ [tr(Σq⁻¹) + μ'Σq⁻¹μ - 3 + ln det Σq] = ½ [(1 + ¼ + 1) + 1 - 3 + ln 4] = 0.125 + ln 2.
    // One seed at n = m = 2,000 scatters by about ±0.05 around a small negative bias, so the
    // check averages 5 seeds.
    const expected = 0.125 + Math.log(2);
    const n = 2000;
    let sum = 0;
    for (let seed = 0; seed < 5; seed++) {
      const rng = Rng.from('knn-kl-test', seed);
      const p = gaussianRows(rng, n, [0, 0, 0], [1, 1, 1]);
      const q = gaussianRows(rng, n, [1, 0, 0], [1, 2, 1]);
      sum += knnKl({ x: p, n, d: 3 }, { x: q, n, d: 3 }, 5);
    }
    expect(Math.abs(sum / 5 - expected)).toBeLessThan(0.1);
  });

  test('same distribution is near 0', () => {
    const rng = Rng.from('knn-kl-null');
    const n = 1000;
    const p = gaussianRows(rng, n, [0, 0], [1, 1]);
    const q = gaussianRows(rng, n, [0, 0], [1, 1]);
    expect(Math.abs(knnKl({ x: p, n, d: 2 }, { x: q, n, d: 2 }))).toBeLessThan(0.05);
  });

  test('duplicate rows stay finite', () => {
    // Every P row appears three times and one Q row equals a P row, so zero distances occur in
    // both searches.
    const rng = Rng.from('knn-kl-duplicates');
    const base = gaussianRows(rng, 100, [0, 0], [1, 1]);
    const p = new Float64Array(300 * 2);
    for (let copy = 0; copy < 3; copy++) p.set(base, copy * 200);
    const q = gaussianRows(rng, 300, [0.5, 0], [1, 1]);
    q[0] = p[0];
    q[1] = p[1];
    const estimate = knnKl({ x: p, n: 300, d: 2 }, { x: q, n: 300, d: 2 });
    expect(Number.isFinite(estimate)).toBe(true);
    expect(estimate).toBeGreaterThan(-0.2);
    // Distinct rows of the same pair give KL(N(0, I) || N((0.5, 0), I)) = 0.125; duplicates must not
    // inflate it by orders of magnitude.
    expect(estimate).toBeLessThan(1);
  });

  test('identical constant samples give 0', () => {
    const p = new Float64Array(20).fill(1.5);
    expect(knnKl({ x: p, n: 10, d: 2 }, { x: p, n: 10, d: 2 })).toBe(0);
  });

  test('k is lowered for tiny samples', () => {
    // Two P rows and one Q row: k becomes 1; ρ = 1, ν = 2 for row 0 and ν = 1 for row 1.
    // D = (1/2)(ln 2 + ln 1) + ln(1 / 1) = ln(2) / 2.
    const p = { x: [0, 1], n: 2, d: 1 };
    const q = { x: [2], n: 1, d: 1 };
    expect(knnKl(p, q, 5)).toBeCloseTo(Math.log(2) / 2, 12);
  });

  test('too few rows give NaN', () => {
    expect(knnKl({ x: [0], n: 1, d: 1 }, { x: [1], n: 1, d: 1 })).toBeNaN();
  });

  test('dimension mismatch raises', () => {
    expect(() => knnKl({ x: [0, 1], n: 2, d: 1 }, { x: [1, 1], n: 1, d: 2 })).toThrow(/equal dimension/);
  });
});
