/**
 * Numerical edge cases through the whole study: a tree at full depth on separable data returns
 * exact zeros and ones, and a gaussian prior shifted by 10 standard deviations lies far from the
 * data. The sampler must still move and every artifact must stay finite.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DatasetFile, KldResult, SamplerDiagnostics, SamplesFile } from '../../src/formats.js';
import { loadClassifier } from '../../src/models/index.js';
import { scanArtifacts } from '../fixtures/robustness/data/scan.js';
import { readOutputs, runStudy, syntheticCsv, type Study } from '../fixtures/robustness/data/study.js';

const SHIFT_0 = 'data,model,labelNoise=0,gaussian-shift-0,seed=0';
const SHIFT_10 = 'data,model,labelNoise=0,gaussian-shift-10,seed=0';

/** Argmax class of each row under the trained base model, with the raw probabilities. */
async function predict(study: Study, x: number[], n: number) {
  const classifier = await loadClassifier((file) => join(study.dir, 'train-base', 'data,model,labelNoise=0,seed=0', file));
  const probabilities = classifier.predictProba(Float32Array.from(x), n);
  const k = classifier.numClasses;
  const labels = Array.from({ length: n }, (_, i) => {
    const row = Array.from(probabilities.subarray(i * k, (i + 1) * k));
    return row.indexOf(Math.max(...row));
  });
  classifier.dispose();
  return { probabilities: Array.from(probabilities), labels };
}

describe('exact probabilities and a far prior', () => {
  let study: Study;
  let dataset: DatasetFile;

  beforeAll(() => {
    // Classes 6 raw units apart on x0, noise only on x1: any full-depth tree separates them exactly.
    const csv = syntheticCsv('separable', 2, {
      neg: { rows: 20, feature: (rng, j) => (j === 0 ? -3 + rng.uniform() : 2 * rng.uniform() - 1) },
      pos: { rows: 20, feature: (rng, j) => (j === 0 ? 3 + rng.uniform() : 2 * rng.uniform() - 1) },
    });
    study = runStudy({
      name: 'saturated',
      csv,
      model: { family: 'tree', maxDepth: 30, minNumSamples: 0, gainThreshold: 0 },
      priors: [{ kind: 'gaussian', shift: 0 }, { kind: 'gaussian', shift: 10 }],
    });
    expect(study.run.code, study.run.stdout.slice(-3000)).toBe(0);
    dataset = readOutputs<DatasetFile>(study, 'ingest', 'dataset.json').get('data,seed=0')!;
  });

  test('tree returns exact zeros and ones', async () => {
    const { probabilities } = await predict(study, dataset.train.x, dataset.train.n);
    expect(probabilities).toHaveLength(dataset.train.n * 2);
    expect(probabilities.every((p) => p === 0 || p === 1)).toBe(true);
  });

  test('sampler moves on exact probabilities', async () => {
    const diagnostics = readOutputs<SamplerDiagnostics>(study, 'sample', 'diagnostics.json');
    for (const label of [SHIFT_0, SHIFT_10]) {
      const { acceptance } = diagnostics.get(label)!;
      expect(acceptance).toHaveLength(2);
      for (const rate of acceptance) {
        expect(rate).toBeGreaterThan(0.05);
        expect(rate).toBeLessThan(1);
      }
    }
    const samples = readOutputs<SamplesFile>(study, 'sample', 'samples.json').get(SHIFT_0)!;
    expect(new Set(samples.x).size).toBe(samples.x.length);
    // With alpha = 1e-3 the wrong class has likelihood 1e-3 of the right one, so almost every
    // reconstructed row of a class lies where the tree predicts that class.
    const { labels } = await predict(study, samples.x, samples.n);
    const agree = labels.filter((label, i) => label === samples.y[i]).length;
    expect(agree / samples.n).toBeGreaterThanOrEqual(0.95);
  });

  test('shift 10 prior stays finite', () => {
    const kld = readOutputs<KldResult>(study, 'evaluate-kld', 'kld.json');
    const near = kld.get(SHIFT_0)!;
    const far = kld.get(SHIFT_10)!;
    for (const result of [near, far]) {
      for (const value of [result.klKde, result.klKnn, result.klPriorOnly, result.klTestFloor, result.priorError, ...result.klPerFeature]) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
      }
    }
    expect(far.priorError).toBeGreaterThan(near.priorError);
    expect(far.priorAccuracy).toBeGreaterThan(0);
    expect(far.priorAccuracy).toBeLessThan(near.priorAccuracy);
    expect(far.klKde).toBeGreaterThan(near.klKde);
    expect(far.prior).toEqual({ kind: 'gaussian', shift: 10, scale: 1 });
  });

  test('artifacts contain no NaN', () => {
    expect(scanArtifacts(study.dir)).toEqual([]);
  });
});
