import { describe, expect, test } from 'vitest';
import { createPrior } from '../../src/priors/prior.js';
import { Rng } from '../../src/random.js';
import { runMetropolis } from '../../src/samplers/metropolis.js';
import { runRejection } from '../../src/samplers/rejection.js';
import type { SamplerRun } from '../../src/samplers/target.js';
import { LogisticModel, posteriorMoments } from './models.js';

const CHAINS = 2000;
const ALPHA = 1e-3;

/** Exact moments of q_c ∝ N(x; 0, 1) p~(c|x)^τ with p(1|x) = 1 / (1 + exp(-2x)). */
function exactMoments(c: number, temperature: number): { mean: number; variance: number } {
  return posteriorMoments(
    (x) => -0.5 * x * x,
    (x) => {
      const p1 = 1 / (1 + Math.exp(-2 * x));
      const p = c === 1 ? p1 : 1 - p1;
      return ((p + ALPHA) / (1 + 2 * ALPHA)) ** temperature;
    },
  );
}

function moments(run: SamplerRun, c: number): { mean: number; variance: number; n: number } {
  const values = Array.from(run.x).filter((_, i) => run.y[i] === c);
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  return { mean, variance, n };
}

function options(seed: string, temperature = 1) {
  return {
    classifier: new LogisticModel(2),
    prior: createPrior([{ kind: 'gaussian', mean: 0, sd: 1 }]),
    classCounts: [CHAINS, CHAINS],
    alpha: ALPHA,
    temperature,
    rng: Rng.from(seed),
  };
}

/**
 * Checks sample moments against exact ones within 4 standard errors: sd / sqrt(n) for the mean
 * and variance sqrt(2 / (n - 1)) for the variance (normal approximation, adequate here).
 */
function expectMatches(run: SamplerRun, c: number, temperature = 1): void {
  const exact = exactMoments(c, temperature);
  const sample = moments(run, c);
  expect(sample.n).toBe(CHAINS);
  expect(Math.abs(sample.mean - exact.mean)).toBeLessThan(4 * Math.sqrt(exact.variance / CHAINS));
  expect(Math.abs(sample.variance - exact.variance)).toBeLessThan(4 * exact.variance * Math.sqrt(2 / (CHAINS - 1)));
}

describe('known posterior', () => {
  const mh = runMetropolis({ ...options('mh'), steps: 400, burnIn: 200 });
  const rejection = runRejection({ ...options('rejection'), maxDraws: 100_000 });

  test('exact moments are distinct', () => {
    // Class 1 shifts right and class 0 left, so the test can tell the classes apart.
    expect(exactMoments(1, 1).mean).toBeGreaterThan(0.3);
    expect(exactMoments(0, 1).mean).toBeLessThan(-0.3);
  });

  test.each([0, 1])('mh matches class %i', (c) => expectMatches(mh, c));

  test.each([0, 1])('rejection matches class %i', (c) => expectMatches(rejection, c));

  test.each([0, 1])('samplers agree on class %i', (c) => {
    const a = moments(mh, c);
    const b = moments(rejection, c);
    expect(Math.abs(a.mean - b.mean)).toBeLessThan(4 * Math.sqrt(a.variance / a.n + b.variance / b.n));
  });

  test('rejection acceptance is class mass', () => {
    // E_π[p~(c|x)] = 1/2 for both classes by symmetry; 4 standard errors of a binomial rate.
    for (const rate of rejection.acceptance) expect(Math.abs(rate - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / (2 * CHAINS)));
  });

  test('mh adapts towards 0.234', () => {
    for (const rate of mh.acceptance) {
      expect(rate).toBeGreaterThan(0.18);
      expect(rate).toBeLessThan(0.3);
    }
  });

  test('mh counts model calls', () => {
    // One call for the starts and one per step, each over every chain.
    expect(mh.modelCalls).toBe(401);
    expect(mh.modelRows).toBe(401 * 2 * CHAINS);
  });

  test('tempered posterior', () => {
    const run = runMetropolis({ ...options('tempered', 3), steps: 400, burnIn: 200 });
    expectMatches(run, 1, 3);
    const exact = runRejection({ ...options('tempered-rejection', 3), maxDraws: 200_000 });
    expectMatches(exact, 1, 3);
  });

  test('flattened posterior', () => {
    // τ = 1/2 makes Σ_c p~(c|x)^τ exceed 1, so rejection tests each class with its own uniform.
    const exact = runRejection({ ...options('flat-rejection', 0.5), maxDraws: 200_000 });
    expectMatches(exact, 0, 0.5);
    expectMatches(exact, 1, 0.5);
    const run = runMetropolis({ ...options('flat', 0.5), steps: 400, burnIn: 200 });
    expectMatches(run, 1, 0.5);
  });
});
