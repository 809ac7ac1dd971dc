import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/random.js';
import { normalQuantile } from '../../src/samplers/normal-quantile.js';
import { zigguratNormal } from '../../src/samplers/ziggurat.js';

const N = 400_000;
const draws = (() => {
  const rng = Rng.from('ziggurat');
  return Float64Array.from({ length: N }, () => zigguratNormal(rng));
})();

describe('zigguratNormal', () => {
  test('mean and variance', () => {
    const mean = draws.reduce((sum, value) => sum + value, 0) / N;
    const variance = draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (N - 1);
    // Standard errors: 1 / sqrt(N) for the mean, sqrt(2 / N) for the variance.
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
  });

  test('CDF at quantiles', () => {
    for (const p of [0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999]) {
      const below = draws.filter((value) => value < normalQuantile(p)).length / N;
      expect(Math.abs(below - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
    }
  });

  test('tail beyond the base layer', () => {
    // P(|Z| > 3.442619855899) = 5.761e-4 (scipy.stats.norm.sf).
    const tail = draws.filter((value) => Math.abs(value) > 3.442619855899).length / N;
    expect(Math.abs(tail - 5.761e-4)).toBeLessThan(4 * Math.sqrt(5.761e-4 / N));
  });

  test('same seed same draws', () => {
    const a = Rng.from('repeat');
    const b = Rng.from('repeat');
    for (let i = 0; i < 1000; i++) expect(zigguratNormal(a)).toBe(zigguratNormal(b));
  });
});
