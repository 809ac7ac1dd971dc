import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { DatasetFile, SamplesFile, SyntheticResult } from '../../src/formats.js';
import type { InputRef, JsonObject } from '../../src/stage-api.js';
import trainBase from '../../stages/train-base.js';
import trainSynthetic from '../../stages/train-synthetic.js';
import { runStage } from '../helpers/stage-harness.js';
import { loadHeartDataset } from './heart-data.js';
import { jsonInput } from './stage-inputs.js';

let dataset: DatasetFile;
let data: InputRef;

beforeAll(async () => {
  dataset = loadHeartDataset(0);
  data = await jsonInput('ingest', { 'dataset.json': dataset });
});

/** Samples equal to the real training rows: a perfect reconstruction. */
function perfectSamples(): SamplesFile {
  return { sampler: 'mh', x: dataset.train.x, y: dataset.train.y, n: dataset.train.n, d: dataset.features.length };
}

describe('train-synthetic', () => {
  // Tree and boosted-tree training with subsample 1 do not depend on the seed, so the same rows
  // must give the same model and therefore exactly the base accuracy.
  const models: JsonObject[] = [{ family: 'tree' }, { family: 'xgboost', rounds: 20 }];
  for (const model of models) {
    const family = model.family as string;
    test(`${family} on real rows matches base`, async () => {
      const base = await runStage(trainBase, { model, labelNoise: 0, seed: 0 }, { data });
      const samples = await jsonInput('sample', { 'samples.json': perfectSamples() });
      const run = await runStage(trainSynthetic, { seed: 0 }, { samples, data, model: base.ref });
      const result = JSON.parse(await readFile(join(run.outDir, 'synthetic.json'), 'utf8')) as SyntheticResult;
      expect(result.family).toBe(family);
      expect(result.labelNoise).toBe(0);
      expect(result.baseAccuracy).toBe(base.result.metrics?.accuracy);
      expect(result.accuracy).toBe(result.baseAccuracy);
      expect(result.accuracyRatio).toBe(1);
    });
  }

  test('uses the base hyperparameters', async () => {
    const stump = await runStage(trainBase, { model: { family: 'tree', maxDepth: 1 }, labelNoise: 0, seed: 0 }, { data });
    const deep = await runStage(trainBase, { model: { family: 'tree' }, labelNoise: 0, seed: 0 }, { data });
    expect(stump.result.metrics?.accuracy).not.toBe(deep.result.metrics?.accuracy);
    const samples = await jsonInput('sample', { 'samples.json': perfectSamples() });
    const run = await runStage(trainSynthetic, { seed: 0 }, { samples, data, model: stump.ref });
    const result = JSON.parse(await readFile(join(run.outDir, 'synthetic.json'), 'utf8')) as SyntheticResult;
    // Trained with maxDepth 1 like the stump, not with the default depth.
    expect(result.accuracy).toBe(stump.result.metrics?.accuracy);
    expect(run.logs.some((line) => line.startsWith('tree on 208 reconstructed rows'))).toBe(true);
  });

  test('rejects samples of another width', async () => {
    const base = await runStage(trainBase, { model: { family: 'tree' }, labelNoise: 0, seed: 0 }, { data });
    const narrow: SamplesFile = { sampler: 'mh', x: [0, 1, 2, 3], y: [0, 1], n: 2, d: 2 };
    const samples = await jsonInput('sample', { 'samples.json': narrow });
    const run = runStage(trainSynthetic, { seed: 0 }, { samples, data, model: base.ref });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toThrow(/have 2 features, the dataset has 13/);
  });
});
