import { describe, expect, test } from 'vitest';
import {
  autocovariance,
  basicRhat,
  bulkEss,
  foldChains,
  rankNormalize,
  rankNormalizedRhat,
  splitChains,
} from '../../src/samplers/diagnostics.js';
import { normalQuantile } from '../../src/samplers/normal-quantile.js';
import { Rng } from '../../src/random.js';

const chains = (rows: number[][]): Float64Array[] => rows.map((row) => Float64Array.from(row));

/** Φ^-1((r - 3/8) / (8 + 1/4)) for ranks 1..8, from scipy.stats.norm.ppf. */
const Z8 = [
  -1.4342001596863792, -0.8524950342746941, -0.4727891209922674, -0.15250597424624437, 0.15250597424624424,
  0.4727891209922672, 0.8524950342746939, 1.4342001596863792,
];

/** Classic R-hat written out for chains of two draws each: W = mean (a - b)² / 2, B/n = var of means. */
function rhatOfPairs(pairs: [number, number][]): number {
  const within = pairs.reduce((sum, [a, b]) => sum + (a - b) ** 2 / 2, 0) / pairs.length;
  const means = pairs.map(([a, b]) => (a + b) / 2);
  const grand = means.reduce((sum, value) => sum + value, 0) / means.length;
  const betweenOverN = means.reduce((sum, value) => sum + (value - grand) ** 2, 0) / (means.length - 1);
  return Math.sqrt(1 / 2 + betweenOverN / within);
}

describe('normalQuantile', () => {
  test('matches scipy', () => {
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 13);
    expect(normalQuantile(0.5)).toBe(0);
  });
});

describe('split and rank', () => {
  test('split drops middle draw', () => {
    const split = splitChains(chains([[1, 2, 3, 4, 5]]));
    expect(Array.from(split[0])).toEqual([1, 2]);
    expect(Array.from(split[1])).toEqual([4, 5]);
  });

  test('rank normalisation with ties', () => {
    const z = rankNormalize(chains([[1, 2], [2, 3]]));
    // Ranks 1, 2.5, 2.5, 4 of S = 4 draws.
    expect(z[0][0]).toBeCloseTo(normalQuantile(0.625 / 4.25), 14);
    expect(z[0][1]).toBeCloseTo(normalQuantile(2.125 / 4.25), 14);
    expect(z[1][0]).toBe(z[0][1]);
    expect(z[1][1]).toBeCloseTo(normalQuantile(3.625 / 4.25), 14);
  });

  test('fold around pooled median', () => {
    const folded = foldChains(chains([[1, 2, 3, 4], [2.5, 3.5, 4.5, 5.5]]));
    expect(Array.from(folded[0])).toEqual([2.25, 1.25, 0.25, 0.75]);
    expect(Array.from(folded[1])).toEqual([0.75, 0.25, 1.25, 2.25]);
  });
});

describe('R-hat', () => {
  test('hand-computed on 2 chains of 4', () => {
    const draws = chains([[1, 2, 3, 4], [2.5, 3.5, 4.5, 5.5]]);
    // Split halves [1,2] [3,4] [2.5,3.5] [4.5,5.5] have pooled ranks [1,2] [4,6] [3,5] [7,8].
    const bulk = rhatOfPairs([[Z8[0], Z8[1]], [Z8[3], Z8[5]], [Z8[2], Z8[4]], [Z8[6], Z8[7]]]);
    expect(basicRhat(rankNormalize(splitChains(draws)))).toBeCloseTo(bulk, 12);
    // Bulk 2.3180109173339476, folded 1.618658569695271, by an independent numpy and scipy script.
    expect(bulk).toBeCloseTo(2.3180109173339476, 12);
    expect(rankNormalizedRhat(draws)).toBeCloseTo(2.3180109173339476, 12);
  });

  test('reference value on 2 chains of 12', () => {
    const draws = chains([
      [0.3, -1.2, 0.8, 1.9, 0.1, -0.4, 2.2, 0.7, -0.9, 1.1, 0.5, -0.2],
      [1.4, 0.9, 1.7, 0.2, 2.4, 1.1, 0.6, 1.8, 2.9, 1.3, 0.4, 1.6],
    ]);
    expect(rankNormalizedRhat(draws)).toBeCloseTo(1.0843426618558805, 12);
  });

  test('stuck chains far above 1.01', () => {
    const rng = Rng.from('stuck');
    const draws = [0, 1, 2, 3].map((center) => Float64Array.from({ length: 100 }, () => center + 0.1 * rng.normal()));
    expect(rankNormalizedRhat(draws)).toBeGreaterThan(1.5);
  });

  test('iid normal chains near 1', () => {
    const rng = Rng.from('iid');
    const draws = [0, 1, 2, 3].map(() => Float64Array.from({ length: 1000 }, () => rng.normal()));
    const rhat = rankNormalizedRhat(draws);
    expect(rhat).toBeGreaterThan(0.995);
    expect(rhat).toBeLessThan(1.01);
  });

  test('constant draws give NaN', () => {
    expect(rankNormalizedRhat(chains([[1, 1, 1, 1], [1, 1, 1, 1]]))).toBeNaN();
  });
});

describe('bulk ESS', () => {
  test('reference value on 2 chains of 12', () => {
    const draws = chains([
      [0.3, -1.2, 0.8, 1.9, 0.1, -0.4, 2.2, 0.7, -0.9, 1.1, 0.5, -0.2],
      [1.4, 0.9, 1.7, 0.2, 2.4, 1.1, 0.6, 1.8, 2.9, 1.3, 0.4, 1.6],
    ]);
    // By an independent numpy and scipy script following the definitions of Vehtari et al. (2021).
    expect(bulkEss(draws)).toBeCloseTo(25.83305086922535, 10);
  });

  test('reference value on random walks', () => {
    expect(bulkEss(chains(RANDOM_WALKS))).toBeCloseTo(7.696855550423028, 10);
  });

  test('iid chains near draw count', () => {
    const rng = Rng.from('iid-ess');
    const draws = [0, 1, 2, 3].map(() => Float64Array.from({ length: 500 }, () => rng.normal()));
    const ess = bulkEss(draws);
    expect(ess).toBeGreaterThan(1600);
    expect(ess).toBeLessThan(2500);
  });

  test('AR(1) chains near theory', () => {
    // For AR(1) with coefficient φ, ESS ≈ S (1 - φ) / (1 + φ); φ = 0.8 gives S / 9.
    const rng = Rng.from('ar1');
    const draws = [0, 1, 2, 3].map(() => {
      const chain = new Float64Array(5000);
      for (let t = 1; t < chain.length; t++) chain[t] = 0.8 * chain[t - 1] + 0.6 * rng.normal();
      return chain;
    });
    const ess = bulkEss(draws);
    expect(ess).toBeGreaterThan((20000 / 9) * 0.8);
    expect(ess).toBeLessThan((20000 / 9) * 1.25);
  });

  test('short chains give NaN', () => {
    expect(bulkEss(chains([[1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7]]))).toBeNaN();
  });
});

describe('autocovariance', () => {
  test('biased estimator by hand', () => {
    // Centered values -1.5 -0.5 0.5 1.5: lag 0 sum 5, lag 1 sum 0.75 - 0.25 + 0.75 = 1.25, lag 3 sum -2.25.
    const result = autocovariance(Float64Array.from([1, 2, 3, 4]));
    expect(result[0]).toBeCloseTo(5 / 4, 14);
    expect(result[1]).toBeCloseTo(1.25 / 4, 14);
    expect(result[3]).toBeCloseTo(-2.25 / 4, 14);
  });
});

/** Three noisy random walks of 40 draws, rounded to 4 decimals. */
const RANDOM_WALKS = [
  [1.6351, -1.8525, -0.4549, -0.8927, -1.3047, -1.2384, -0.3936, -0.1799, -0.9207, 0.1557, 0.9053, 0.1097, 0.3943, 0.467, 0.5545, 1.3735, 0.1449, -0.6977, -0.306, -2.0815, -1.7141, -0.4171, -0.5985, 0.1422, -1.2728, -2.4966, 0.4201, -0.5113, -2.9572, -0.5745, -2.3048, -4.1449, -2.7627, -2.9426, -1.1572, -3.659, -3.4479, -3.8776, -3.9124, -4.7803],
  [0.5702, 1.6429, 0.5907, -0.8791, -1.432, -0.1533, -0.9657, -1.4858, -2.6054, 0.948, 0.2028, -2.0422, 0.0613, 0.1659, -3.6655, -2.077, -1.4814, -0.2747, -0.3149, -0.2313, 0.1942, 2.3581, 2.4828, -0.223, -0.2193, 3.2805, -0.3351, 0.0648, 0.8576, 1.1948, 1.6948, 1.1295, -0.1029, 1.0163, 1.0286, 2.2661, 0.0138, -1.6929, -1.1109, 1.2761],
  [-0.8314, -2.7366, -1.0865, -0.8222, -0.015, -2.0341, -0.712, -0.6801, -2.1768, -1.7986, 0.1422, 0.4949, -0.5252, -1.4265, -1.1712, -2.5116, -2.5717, -3.2574, -2.5308, -2.762, -0.1227, -3.2451, -1.7334, -1.7978, -3.2747, -1.3484, -4.5509, -2.752, -1.4696, -4.6204, -3.6641, -1.1768, -2.4845, -3.5103, -2.9757, -3.4428, -2.1613, -2.1112, -2.9428, -3.2017],
];
