import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { DatasetFile, ModelMetrics } from '../../src/formats.js';
import { loadClassifier, scoreClassifier } from '../../src/models/index.js';
import type { InputRef } from '../../src/stage-api.js';
import trainBase from '../../stages/train-base.js';
import { runStage } from '../helpers/stage-harness.js';
import { loadHeartDataset } from './heart-data.js';
import { jsonInput } from './stage-inputs.js';

let dataset: DatasetFile;
let data: InputRef;

beforeAll(async () => {
  dataset = loadHeartDataset(0);
  data = await jsonInput('ingest', { 'dataset.json': dataset });
});

describe('train-base', () => {
  test('writes model and metrics', async () => {
    const run = await runStage(trainBase, { model: { family: 'tree' }, labelNoise: 0, seed: 0 }, { data });
    expect(Object.keys(run.ref.files).sort()).toEqual(['metrics.json', 'model.json']);
    const metrics = JSON.parse(await readFile(join(run.outDir, 'metrics.json'), 'utf8')) as ModelMetrics;
    expect(metrics.family).toBe('tree');
    expect(metrics.labelNoise).toBe(0);
    const total = metrics.confusion.flat().reduce((sum, count) => sum + count, 0);
    expect(total).toBe(dataset.test.n);
    expect(run.result.metrics).toMatchObject({ accuracy: metrics.accuracy, macroF1: metrics.macroF1 });
    expect(run.result.metrics?.trainMs).toBeGreaterThanOrEqual(0);

    // The saved model reproduces the recorded accuracy.
    const model = await loadClassifier((name) => join(run.outDir, name));
    const rescored = scoreClassifier(model, Float32Array.from(dataset.test.x), dataset.test.y);
    expect(rescored.accuracy).toBe(metrics.accuracy);
    expect(rescored.confusion).toEqual(metrics.confusion);
  });

  test('label noise changes the model', async () => {
    const clean = await runStage(trainBase, { model: { family: 'tree' }, labelNoise: 0, seed: 0 }, { data });
    const noisy = await runStage(trainBase, { model: { family: 'tree' }, labelNoise: 0.4, seed: 0 }, { data });
    const cleanModel = await readFile(join(clean.outDir, 'model.json'), 'utf8');
    const noisyModel = await readFile(join(noisy.outDir, 'model.json'), 'utf8');
    expect(noisyModel).not.toBe(cleanModel);
    expect(noisy.logs.some((line) => line.includes(`replaced ${Math.round(0.4 * dataset.train.n)} of ${dataset.train.n}`))).toBe(true);
  });

  test('rejects unknown hyperparameter', async () => {
    const run = runStage(trainBase, { model: { family: 'tree', depth: 3 }, labelNoise: 0, seed: 0 }, { data });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toThrow(/Unknown hyperparameter "depth" in params.model/);
  });

  test('rejects label noise above 1', async () => {
    const run = runStage(trainBase, { model: { family: 'tree' }, labelNoise: 1.5, seed: 0 }, { data });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toThrow(/Invalid labelNoise 1.5/);
  });
});
