/**
 * Dimension extremes through the whole study: a dataset with one feature (the kNN estimator and
 * the KDE work on a line) and one with 200 features and only 60 rows (more features than rows).
 */
import { describe, expect, test } from 'vitest';
import type { DatasetFile, KldResult, SamplerDiagnostics, SamplesFile } from '../../src/formats.js';
import { scanArtifacts } from '../fixtures/robustness/data/scan.js';
import { readOutputs, runStudy, syntheticCsv, type Study } from '../fixtures/robustness/data/study.js';

const TREE = { family: 'tree', maxDepth: 3 };

/** Checks the shapes and finiteness of every numeric output of one sample and evaluate-kld run. */
function checkRun(study: Study, label: string, d: number): void {
  const samples = readOutputs<SamplesFile>(study, 'sample', 'samples.json').get(label)!;
  const diagnostics = readOutputs<SamplerDiagnostics>(study, 'sample', 'diagnostics.json').get(label)!;
  const kld = readOutputs<KldResult>(study, 'evaluate-kld', 'kld.json').get(label)!;
  expect(samples.d).toBe(d);
  expect(samples.x).toHaveLength(samples.n * d);
  expect(samples.x.every(Number.isFinite)).toBe(true);
  for (const rate of diagnostics.acceptance) expect(rate).toBeGreaterThan(0.05);
  expect(diagnostics.rhat.map((row) => row.length)).toEqual([d, d]);
  expect(diagnostics.rhat.flat().every(Number.isFinite)).toBe(true);
  expect(diagnostics.ess.flat().every((ess) => Number.isFinite(ess) && ess > 0)).toBe(true);
  expect(kld.klPerFeature).toHaveLength(d);
  // KDE estimates are clipped at 0, but the kNN estimator is not and may be negative.
  for (const value of [kld.klKde, kld.klPriorOnly, kld.klTestFloor, ...kld.klPerFeature]) {
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  }
  for (const value of [kld.klKnn, kld.klKnnPriorOnly, kld.klKnnTestFloor]) expect(Number.isFinite(value)).toBe(true);
}

describe('dimension extremes', () => {
  test('one feature', () => {
    const csv = syntheticCsv('one-feature', 1, {
      a: { rows: 30, feature: (rng) => rng.normal() - 1.5 },
      b: { rows: 30, feature: (rng) => rng.normal() + 1.5 },
    });
    const study = runStudy({ name: 'one-feature', csv, model: TREE, priors: [{ kind: 'gaussian', shift: 0 }, { kind: 'uniform' }, { kind: 'empirical' }] });
    expect(study.run.code, study.run.stdout.slice(-3000)).toBe(0);
    const dataset = readOutputs<DatasetFile>(study, 'ingest', 'dataset.json').get('data,seed=0')!;
    expect(dataset.features).toEqual(['x0']);
    for (const prior of ['gaussian-shift-0', 'uniform', 'empirical']) checkRun(study, `data,model,labelNoise=0,${prior},seed=0`, 1);
    expect(scanArtifacts(study.dir)).toEqual([]);
  });

  test('200 features, 60 rows', () => {
    // Only the first five features separate the classes, and the other 195 are noise.
    const csv = syntheticCsv('wide', 200, {
      a: { rows: 30, feature: (rng, j) => rng.normal() - (j < 5 ? 1.5 : 0) },
      b: { rows: 30, feature: (rng, j) => rng.normal() + (j < 5 ? 1.5 : 0) },
    });
    const study = runStudy({ name: 'wide', csv, model: TREE, priors: [{ kind: 'gaussian', shift: 0 }] });
    expect(study.run.code, study.run.stdout.slice(-3000)).toBe(0);
    const dataset = readOutputs<DatasetFile>(study, 'ingest', 'dataset.json').get('data,seed=0')!;
    expect(dataset.features).toHaveLength(200);
    expect(dataset.train.n + dataset.test.n).toBe(60);
    checkRun(study, 'data,model,labelNoise=0,gaussian-shift-0,seed=0', 200);
    expect(scanArtifacts(study.dir)).toEqual([]);
  });
});
