/**
 * Checks every model family must pass, run on Heart Disease (297 complete rows, 70/30 split,
 * 13 standardized features, 2 classes). Each family's test file calls describeFamily.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyLabelNoise, fitClassifier, loadClassifier, scoreClassifier, type ModelSpecInput, type TrainingData } from '../../src/models/index.js';
import { Rng } from '../../src/random.js';
import { loadHeartDataset, toTrainingData } from './heart-data.js';

const dataset = loadHeartDataset(0);
const d = dataset.features.length;
const numClasses = dataset.classes.length;
const train = toTrainingData(dataset.train, d);
const testSet = toTrainingData(dataset.test, d);

/** Test rows plus 200 wide normal draws (sd 2), which reach regions without training data. */
function probeRows(): { rows: Float32Array; n: number } {
  const rng = Rng.from('probe-rows');
  const wide = Float32Array.from({ length: 200 * d }, () => 2 * rng.normal());
  const rows = new Float32Array(testSet.x.length + wide.length);
  rows.set(testSet.x);
  rows.set(wide, testSet.x.length);
  return { rows, n: testSet.n + 200 };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

async function savedFiles(dir: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name));
  return files;
}

async function accuracyWithNoise(spec: ModelSpecInput, fraction: number, seed: number): Promise<number> {
  const noisy = applyLabelNoise(train.y, numClasses, fraction, Rng.from('noise', seed));
  const data: TrainingData = { ...train, y: noisy.y };
  const fit = await fitClassifier(spec, data, numClasses, Rng.from('model', seed));
  fit.disposeReference();
  return scoreClassifier(fit.classifier, testSet.x, testSet.y).accuracy;
}

/** Defines the shared tests for one family, trained with `spec`. */
export function describeFamily(spec: ModelSpecInput): void {
  describe(`${spec.family} family`, () => {
    test('heart accuracy above 0.70', async () => {
      const fit = await fitClassifier(spec, train, numClasses, Rng.from('model', 0));
      const probe = probeRows();
      const fast = fit.classifier.predictProba(probe.rows, probe.n);
      const reference = fit.referencePredict(probe.rows, probe.n);
      fit.disposeReference();

      expect(scoreClassifier(fit.classifier, testSet.x, testSet.y).accuracy).toBeGreaterThan(0.7);
      expect(maxAbsDifference(fast, reference)).toBeLessThan(1e-5);
      for (let i = 0; i < probe.n; i++) {
        let sum = 0;
        for (let c = 0; c < numClasses; c++) sum += fast[i * numClasses + c];
        expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
      }
    });

    test('predictProba fills the given buffer', async () => {
      const fit = await fitClassifier(spec, train, numClasses, Rng.from('model', 0));
      fit.disposeReference();
      const expected = fit.classifier.predictProba(testSet.x, testSet.n);
      const out = new Float32Array(testSet.n * numClasses).fill(-1);
      expect(fit.classifier.predictProba(testSet.x, testSet.n, out)).toBe(out);
      expect(out).toEqual(expected);
      // A single row evaluated alone gives the same probabilities as inside a batch.
      const single = fit.classifier.predictProba(testSet.x.subarray(5 * d, 6 * d), 1);
      expect(Array.from(single)).toEqual(Array.from(expected.subarray(5 * numClasses, 6 * numClasses)));
    });

    test('save and load round trip', async () => {
      const fit = await fitClassifier(spec, train, numClasses, Rng.from('model', 1));
      fit.disposeReference();
      const dir = await mkdtemp(join(tmpdir(), `recon-${spec.family}-`));
      await fit.classifier.save(dir);
      const loaded = await loadClassifier((name) => join(dir, name));
      const probe = probeRows();
      expect(loaded.family).toBe(spec.family);
      expect(loaded.numFeatures).toBe(d);
      expect(loaded.numClasses).toBe(numClasses);
      expect(loaded.predictProba(probe.rows, probe.n)).toEqual(fit.classifier.predictProba(probe.rows, probe.n));
    });

    test('same seed gives same bytes', async () => {
      const dirs: string[] = [];
      for (let run = 0; run < 2; run++) {
        const fit = await fitClassifier(spec, train, numClasses, Rng.from('model', 2));
        fit.disposeReference();
        const dir = await mkdtemp(join(tmpdir(), `recon-${spec.family}-`));
        await fit.classifier.save(dir);
        dirs.push(dir);
      }
      const [first, second] = await Promise.all(dirs.map(savedFiles));
      expect(Object.keys(first)).toEqual(Object.keys(second));
      for (const name of Object.keys(first)) expect(first[name].equals(second[name])).toBe(true);
    });

    test('label noise lowers accuracy', async () => {
      const seeds = [0, 1, 2];
      const clean: number[] = [];
      const noisy: number[] = [];
      for (const seed of seeds) {
        clean.push(await accuracyWithNoise(spec, 0, seed));
        noisy.push(await accuracyWithNoise(spec, 0.4, seed));
      }
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      expect(mean(noisy)).toBeLessThan(mean(clean));
    });
  });
}
