/**
 * A class the base model never predicts: a tree stump on three classes has two leaves, so the
 * smallest class gets no leaf. Heavy label noise makes a second weak model. The Metropolis
 * sampler must still reconstruct every class, and the rejection sampler must stop with a clear
 * error when its draw budget is too small.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { KldResult, ModelMetrics, SamplerDiagnostics, SamplesFile, SyntheticResult } from '../../src/formats.js';
import type { Rng } from '../../src/random.js';
import { jsonEvents } from '../fixtures/robustness/data/cli.js';
import { scanArtifacts } from '../fixtures/robustness/data/scan.js';
import { readOutputs, runStudy, syntheticCsv, type Study } from '../fixtures/robustness/data/study.js';

const centred = (centre: number) => (rng: Rng) => centre + rng.normal();
const CSV = syntheticCsv('rare-class', 1, {
  a: { rows: 27, feature: centred(-2) },
  b: { rows: 27, feature: centred(2) },
  rare: { rows: 6, feature: centred(0) },
});
const STUMP = { family: 'tree', maxDepth: 1 };
const CLEAN = 'data,model,labelNoise=0,gaussian-shift-0,seed=0';
const NOISY = 'data,model,labelNoise=0.8,gaussian-shift-0,seed=0';

/** Macro F1 from a confusion matrix, counting a class with no predictions as F1 0. */
function macroF1(confusion: number[][]): number {
  const k = confusion.length;
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c][c];
    const predicted = confusion.reduce((total, row) => total + row[c], 0);
    const actual = confusion[c].reduce((total, count) => total + count, 0);
    sum += tp === 0 ? 0 : (2 * tp) / (predicted + actual);
  }
  return sum / k;
}

describe('class the model never predicts', () => {
  let study: Study;

  beforeAll(() => {
    study = runStudy({ name: 'rare', csv: CSV, model: STUMP, priors: [{ kind: 'gaussian', shift: 0 }], labelNoise: [0, 0.8] });
    expect(study.run.code, study.run.stdout.slice(-3000)).toBe(0);
  });

  test('stump never predicts the rare class', () => {
    const metrics = readOutputs<ModelMetrics>(study, 'train-base', 'metrics.json').get('data,model,labelNoise=0,seed=0')!;
    expect(metrics.confusion.map((row) => row[2])).toEqual([0, 0, 0]);
    expect(metrics.confusion[2].reduce((total, count) => total + count, 0)).toBe(2);
    expect(metrics.macroF1).toBeCloseTo(macroF1(metrics.confusion), 12);
  });

  test('mh reconstructs every class', () => {
    for (const label of [CLEAN, NOISY]) {
      const diagnostics = readOutputs<SamplerDiagnostics>(study, 'sample', 'diagnostics.json').get(label)!;
      const samples = readOutputs<SamplesFile>(study, 'sample', 'samples.json').get(label)!;
      expect(diagnostics.acceptance).toHaveLength(3);
      for (const rate of diagnostics.acceptance) expect(rate).toBeGreaterThan(0.05);
      // Training class counts: 27 - round(8.1) = 19, 19 and 6 - round(1.8) = 4.
      const counts = [0, 1, 2].map((c) => samples.y.filter((y) => y === c).length);
      expect(counts).toEqual([19, 19, 4]);
      expect(samples.x.every(Number.isFinite)).toBe(true);
    }
  });

  test('synthetic scores stay finite', () => {
    const synthetic = readOutputs<SyntheticResult>(study, 'train-synthetic', 'synthetic.json');
    const kld = readOutputs<KldResult>(study, 'evaluate-kld', 'kld.json');
    for (const label of [CLEAN, NOISY]) {
      const result = synthetic.get(label)!;
      expect(result.macroF1).toBeCloseTo(macroF1(result.confusion), 12);
      expect(Number.isFinite(result.accuracyRatio)).toBe(true);
      expect(Number.isFinite(kld.get(label)!.klKde)).toBe(true);
    }
  });

  test('artifacts contain no NaN', () => {
    expect(scanArtifacts(study.dir)).toEqual([]);
  });

  test('rejection budget stops clearly', () => {
    const failed = runStudy({
      name: 'rare-rejection',
      csv: CSV,
      model: STUMP,
      priors: [{ kind: 'gaussian', shift: 0 }],
      sample: { sampler: 'rejection', maxDraws: 10 },
    });
    expect(failed.run.code).toBe(2);
    const event = jsonEvents(failed.run).find((item) => item.type === 'instance-failed');
    expect(event?.id).toBe(`sample[${CLEAN}]`);
    expect(event?.error.name).toBe('InputError');
    expect(event?.error.message).toMatch(/^Rejection sampling used its budget of 10 prior draws/);
    expect(event?.error.hint).toMatch(/use sampler: mh/);
  });
});
