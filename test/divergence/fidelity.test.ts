import { describe, expect, test } from 'vitest';
import { classWeightedKdeKl, classWeightedKnnKl, column, rowsOfClass, type LabelledRows } from '../../src/divergence/fidelity.js';
import { kdeKl } from '../../src/divergence/kde.js';
import { knnKl } from '../../src/divergence/knn.js';
import { Rng } from '../../src/random.js';

/** n rows, 2 features; class 0 is N(0, I), class 1 is N((mean1, 0), I); the first n0 rows are class 0. */
function sample(rng: Rng, n: number, n0: number, mean1: number): { x: Float64Array; y: Int32Array; n: number; d: number } {
  const x = new Float64Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i < n0 ? 0 : 1;
    x[2 * i] = (y[i] === 1 ? mean1 : 0) + rng.normal();
    x[2 * i + 1] = rng.normal();
  }
  return { x, y, n, d: 2 };
}

describe('class-weighted KL', () => {
  const rng = Rng.from('fidelity-test');
  // Training shares 0.75 and 0.25; the other sample has different class sizes, which must not
  // change the weights.
  const real = sample(rng, 400, 300, 3);
  const other = sample(rng, 300, 100, 4);

  test('rowsOfClass keeps class rows in order', () => {
    const rows = rowsOfClass(real, 1);
    expect(rows.length).toBe(100 * 2);
    expect(rows[0]).toBe(real.x[300 * 2]);
    expect(rows[199]).toBe(real.x[399 * 2 + 1]);
  });

  test('KDE weights classes by training share', () => {
    const result = classWeightedKdeKl(real, other, 2);
    for (let f = 0; f < 2; f++) {
      const kl0 = kdeKl(column(rowsOfClass(real, 0), 2, f), column(rowsOfClass(other, 0), 2, f));
      const kl1 = kdeKl(column(rowsOfClass(real, 1), 2, f), column(rowsOfClass(other, 1), 2, f));
      expect(result.perFeature[f]).toBeCloseTo(0.75 * kl0 + 0.25 * kl1, 12);
    }
    expect(result.mean).toBeCloseTo((result.perFeature[0] + result.perFeature[1]) / 2, 12);
    // Class 1 is shifted by 1 in feature 0 (KL 0.5), weighted 0.25: feature 0 sits near 0.125.
    expect(result.perFeature[0]).toBeGreaterThan(0.05);
    expect(result.perFeature[0]).toBeLessThan(0.3);
    expect(result.missingClasses).toEqual([]);
  });

  test('kNN weights classes by training share', () => {
    const expected =
      0.75 * knnKl({ x: rowsOfClass(real, 0), n: 300, d: 2 }, { x: rowsOfClass(other, 0), n: 100, d: 2 }) +
      0.25 * knnKl({ x: rowsOfClass(real, 1), n: 100, d: 2 }, { x: rowsOfClass(other, 1), n: 200, d: 2 });
    expect(classWeightedKnnKl(real, other, 2)).toBeCloseTo(expected, 12);
  });

  test('missing class is reported and reweighted', () => {
    const onlyClass0: LabelledRows = { x: other.x.slice(0, 200), y: other.y.slice(0, 100), n: 100, d: 2 };
    const result = classWeightedKdeKl(real, onlyClass0, 2);
    expect(result.missingClasses).toEqual([1]);
    const kl0 = kdeKl(column(rowsOfClass(real, 0), 2, 0), column(rowsOfClass(onlyClass0, 0), 2, 0));
    expect(result.perFeature[0]).toBeCloseTo(kl0, 12);
  });

  test('no shared class gives NaN', () => {
    const none: LabelledRows = { x: [], y: [], n: 0, d: 2 };
    expect(classWeightedKdeKl(real, none, 2).mean).toBeNaN();
    expect(classWeightedKnnKl(real, none, 2)).toBeNaN();
  });
});
