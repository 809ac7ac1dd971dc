import { describe, expect, test } from 'vitest';
import type { ResultRow } from '../../src/formats.js';
import { correlationTable, groupRuns, signCheck, signCheckTable } from '../../src/statistics/study-tables.js';

function row(overrides: Partial<ResultRow>): ResultRow {
  return {
    run_id: 'run',
    dataset: 'heart',
    family: 'mlp',
    label_noise: 0,
    prior: 'gaussian',
    prior_shift: 0,
    prior_scale: 1,
    seed: 0,
    sampler: 'mh',
    base_accuracy: 0.8,
    prior_error: 0.1,
    prior_accuracy: 0.9,
    kl_kde: 0.3,
    kl_knn: 0.3,
    kl_prior_only: 1,
    kl_test_floor: 0.02,
    synthetic_accuracy: 0.7,
    synthetic_ratio: 0.875,
    acceptance: 0.25,
    rhat_max: 1,
    ess_min: 400,
    ...overrides,
  };
}

describe('study tables', () => {
  test('groups include pooled rows', () => {
    const rows = [row({ dataset: 'b', family: 'tree' }), row({ dataset: 'a', family: 'mlp' }), row({ dataset: 'a', family: 'tree' })];
    const labels = groupRuns(rows, true).map((group) => `${group.dataset}/${group.family}/${group.rows.length}`);
    expect(labels).toEqual(['a/mlp/1', 'a/tree/1', 'a/all/2', 'b/tree/1', 'b/all/1', 'all/all/3']);
  });

  test('constant prior accuracy is left out', () => {
    // One prior only: kl_kde = 1 - base_accuracy exactly, synthetic = base - 0.1.
    const rows = [0.6, 0.7, 0.8, 0.9].map((accuracy) => row({ base_accuracy: accuracy, kl_kde: 1 - accuracy, synthetic_accuracy: accuracy - 0.1 }));
    const check = signCheck({ dataset: 'heart', family: 'mlp', rows });
    expect(check.klOnPriorAccuracy).toBeNull();
    expect(check.klOnModelAccuracy!.estimate).toBeCloseTo(-1, 10);
    expect(check.syntheticOnBase!.estimate).toBeCloseTo(1, 10);
    expect(check.agrees).toBe(true);
    expect(check.note).toMatch(/prior_accuracy is constant/);
  });

  test('wrong sign disagrees', () => {
    // KL rises with base accuracy here, against the theory.
    const rows = [0.6, 0.7, 0.8, 0.9].map((accuracy, i) =>
      row({ base_accuracy: accuracy, prior_accuracy: [0.2, 0.9, 0.5, 0.4][i], kl_kde: accuracy - 0.5 * [0.2, 0.9, 0.5, 0.4][i] }),
    );
    const check = signCheck({ dataset: 'heart', family: 'mlp', rows });
    expect(check.klOnPriorAccuracy!.estimate).toBeCloseTo(-0.5, 10);
    expect(check.klOnModelAccuracy!.estimate).toBeCloseTo(1, 10);
    expect(check.agrees).toBe(false);
  });

  test('single run cannot be checked', () => {
    const [check] = signCheckTable([row({})]);
    expect(check.agrees).toBeNull();
    expect(check.note).toMatch(/too few runs/);
  });

  test('non-finite values are dropped per pair', () => {
    const rows = [0.6, 0.7, 0.8, 0.9, 0.95].map((accuracy, i) => row({ base_accuracy: accuracy, kl_knn: NaN, kl_kde: i === 0 ? NaN : 1 - accuracy }));
    const table = correlationTable(rows, 0);
    const klOnBase = table.find((entry) => entry.dataset === 'heart' && entry.family === 'mlp' && entry.x === 'base_accuracy' && entry.y === 'kl_kde');
    expect(klOnBase!.n).toBe(4);
    expect(klOnBase!.pearson_r).toBeCloseTo(-1, 12);
  });
});
