import { describe, expect, test } from 'vitest';
import { argmaxRows, scoreClassification } from '../../src/models/metrics.js';

describe('scoreClassification', () => {
  test('hand-computed three-class case', () => {
    const truth = [0, 0, 0, 1, 1, 2];
    const predicted = [0, 0, 1, 1, 2, 2];
    const scores = scoreClassification(truth, predicted, 3);
    expect(scores.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(scores.accuracy).toBeCloseTo(4 / 6, 12);
    // F1 = 2TP / (actual + predicted): class 0 4/5, class 1 2/4, class 2 2/3.
    expect(scores.macroF1).toBeCloseTo((4 / 5 + 2 / 4 + 2 / 3) / 3, 12);
  });

  test('absent class left out of macro F1', () => {
    const scores = scoreClassification([0, 1, 1], [0, 1, 0], 3);
    // Class 2 has no true rows and no predictions, so the mean is over classes 0 and 1.
    expect(scores.macroF1).toBeCloseTo((2 / 3 + 2 / 3) / 2, 12);
  });

  test('class never predicted scores zero', () => {
    const scores = scoreClassification([0, 1], [0, 0], 2);
    expect(scores.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });
});

describe('argmaxRows', () => {
  test('first maximum wins ties', () => {
    const proba = Float32Array.from([0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8]);
    expect(Array.from(argmaxRows(proba, 3, 3))).toEqual([1, 0, 2]);
  });
});
