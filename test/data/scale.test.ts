import { describe, expect, test } from 'vitest';
import { columnStats, fitScaler, standardize, unstandardize } from '../../src/data/scale.js';
import { toFloat32 } from '../../src/data/load.js';
import { HEART_SPEC, SHARED_DATASETS, ingest } from './helpers.js';

describe('scale', () => {
  test('sample std uses n - 1', () => {
    // Values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sample variance 32 / 7.
    const stats = columnStats([2, 4, 4, 4, 5, 5, 7, 9].map((v) => [v]), 0);
    expect(stats.mean).toBe(5);
    expect(stats.std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(stats.min).toBe(2);
    expect(stats.max).toBe(9);
  });

  test('round trip restores values', () => {
    const rows = [[1, 100], [2, 300], [4, 200]];
    const scaler = fitScaler(rows, 2);
    const flat = rows.flat();
    const back = unstandardize(standardize(flat, scaler), scaler);
    back.forEach((value, i) => expect(value).toBeCloseTo(flat[i], 12));
  });

  test('heart train split has mean 0 and std 1', async () => {
    const { dataset } = await ingest(HEART_SPEC, { dataDir: SHARED_DATASETS });
    const d = dataset.features.length;
    const rows = Array.from({ length: dataset.train.n }, (_, i) => dataset.train.x.slice(i * d, (i + 1) * d));
    for (let j = 0; j < d; j++) {
      const stats = columnStats(rows, j);
      expect(Math.abs(stats.mean)).toBeLessThan(1e-12);
      expect(stats.std).toBeCloseTo(1, 12);
    }
    // The test split uses the training scaler, so its statistics differ from 0 and 1.
    const testRows = Array.from({ length: dataset.test.n }, (_, i) => dataset.test.x.slice(i * d, (i + 1) * d));
    expect(Math.abs(columnStats(testRows, 0).mean)).toBeGreaterThan(1e-6);
  });

  test('scaler matches the train csv', async () => {
    const { dataset, trainCsv } = await ingest(HEART_SPEC, { dataDir: SHARED_DATASETS });
    const d = dataset.features.length;
    const original = trainCsv.trimEnd().split('\n').slice(1).map((line) => line.split(',').slice(0, d).map(Number));
    const restored = unstandardize(dataset.train.x, dataset.scaler);
    restored.forEach((value, i) => expect(value).toBeCloseTo(original[Math.floor(i / d)][i % d], 9));
  });

  test('toFloat32 keeps layout', () => {
    const array = toFloat32({ n: 2, x: [1, 2, 3, 4, 5, 6], y: [0, 1] }, 3);
    expect(Array.from(array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => toFloat32({ n: 2, x: [1, 2, 3], y: [0, 1] }, 3)).toThrow(/n \* d/);
  });
});
