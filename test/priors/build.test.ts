import { describe, expect, test } from 'vitest';
import { buildFeaturePriors, buildPriorFile, priorSigns } from '../../src/priors/build.js';
import { parsePriorConfig } from '../../src/priors/config.js';
import type { DatasetFile } from '../../src/formats.js';
import { Rng } from '../../src/random.js';
import { sirtuinDataset, syntheticDataset } from './fixtures.js';

function rowsOf(dataset: DatasetFile) {
  return { x: dataset.train.x, n: dataset.train.n, d: dataset.features.length };
}

function errorFor(dataset: DatasetFile, prior: unknown): number {
  return buildPriorFile(parsePriorConfig(prior), rowsOf(dataset), dataset.name, 0).priorError;
}

const cases: [string, () => DatasetFile][] = [
  ['synthetic', () => syntheticDataset(300, 4)],
  ['sirtuin6', sirtuinDataset],
];

describe('prior signs', () => {
  test('shared across shifts', () => {
    const rows = rowsOf(syntheticDataset(50, 6));
    const near = buildFeaturePriors(parsePriorConfig({ kind: 'gaussian', shift: 0.5 }), rows, 'synthetic', 3);
    const far = buildFeaturePriors(parsePriorConfig({ kind: 'gaussian', shift: 2, scale: 0.5 }), rows, 'synthetic', 3);
    for (let j = 0; j < 6; j++) {
      const a = near[j];
      const b = far[j];
      if (a.kind !== 'gaussian' || b.kind !== 'gaussian') throw new Error('expected gaussian priors');
      expect(Math.sign(a.mean)).toBe(Math.sign(b.mean));
      expect(Math.abs(b.mean)).toBe(2);
      expect(b.sd).toBe(0.5);
    }
  });

  test('depend on dataset and seed', () => {
    const base = priorSigns('heart', 0, 32);
    expect(priorSigns('heart', 0, 32)).toEqual(base);
    expect(priorSigns('heart', 1, 32)).not.toEqual(base);
    expect(priorSigns('iris', 0, 32)).not.toEqual(base);
    expect(base.every((sign) => sign === 1 || sign === -1)).toBe(true);
  });
});

describe('prior error', () => {
  test.each(cases)('grows with gaussian shift on %s', (_, load) => {
    const dataset = load();
    const errors = [0, 0.5, 1, 2, 3].map((shift) => errorFor(dataset, { kind: 'gaussian', shift }));
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeGreaterThan(errors[i - 1]);
  });

  test.each(cases)('accuracy in (0, 1] on %s', (_, load) => {
    const dataset = load();
    for (const prior of [{ kind: 'gaussian', shift: 2 }, { kind: 'uniform' }, { kind: 'empirical' }]) {
      const file = buildPriorFile(parsePriorConfig(prior), rowsOf(dataset), dataset.name, 0);
      expect(file.priorAccuracy).toBeGreaterThan(0);
      expect(file.priorAccuracy).toBeLessThanOrEqual(1);
      expect(file.priorAccuracy).toBeCloseTo(Math.exp(-file.priorError), 12);
      expect(file.perFeatureError).toHaveLength(dataset.features.length);
      const mean = file.perFeatureError.reduce((sum, value) => sum + value, 0) / file.perFeatureError.length;
      expect(file.priorError).toBeCloseTo(mean, 12);
    }
  });

  test.each(cases)('empirical smallest on %s', (_, load) => {
    const dataset = load();
    const empirical = errorFor(dataset, { kind: 'empirical' });
    expect(empirical).toBeLessThan(0.01);
    expect(empirical).toBeLessThan(errorFor(dataset, { kind: 'gaussian', shift: 0 }));
    expect(empirical).toBeLessThan(errorFor(dataset, { kind: 'uniform' }));
  });

  test('gaussian closed form', () => {
    // KL(N(0, 1) || N(±1, 1)) = 1/2; the KDE of p* adds h² ≈ 0.03 to its variance, about 2e-4 nats.
    const rng = Rng.from('closed-form');
    const rows = { x: Array.from({ length: 4000 }, () => rng.normal()), n: 4000, d: 1 };
    const file = buildPriorFile({ kind: 'gaussian', shift: 1, scale: 1 }, rows, 'x', 0);
    expect(file.priorError).toBeGreaterThan(0.47);
    expect(file.priorError).toBeLessThan(0.53);
  });
});

describe('uniform prior', () => {
  test('widens the range by the margin', () => {
    const rows = { x: [0, 1, 4, -1, 2, 3], n: 3, d: 2 };
    const [first, second] = buildFeaturePriors({ kind: 'uniform', margin: 0.25 }, rows, 'x', 0);
    expect(first).toEqual({ kind: 'uniform', lo: -1, hi: 5 });
    expect(second).toEqual({ kind: 'uniform', lo: -2, hi: 4 });
  });
});
