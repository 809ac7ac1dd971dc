import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import choosePrior from '../../stages/choose-prior.js';
import sample from '../../stages/sample.js';
import { InputError } from '../../src/errors.js';
import type { DatasetFile, SamplerDiagnostics, SamplesFile } from '../../src/formats.js';
import { trainClassifier } from '../../src/models/index.js';
import { Rng } from '../../src/random.js';
import type { InputRef } from '../../src/stage-api.js';
import { runStage } from '../helpers/stage-harness.js';
import { sirtuinDataset } from '../priors/fixtures.js';

let dataset: DatasetFile;
let inputs: { data: InputRef; model: InputRef; prior: InputRef };

async function refOf(stage: string, dir: string): Promise<InputRef> {
  const files: Record<string, string> = {};
  for (const name of await readdir(dir)) files[name] = join(dir, name);
  return { id: `${stage}[sirtuin6]`, stage, coords: {}, params: {}, files, metrics: {} };
}

beforeAll(async () => {
  dataset = sirtuinDataset();
  const dataDir = await mkdtemp(join(tmpdir(), 'recon-sample-data-'));
  await writeFile(join(dataDir, 'dataset.json'), JSON.stringify(dataset));
  const modelDir = await mkdtemp(join(tmpdir(), 'recon-sample-model-'));
  const train = { x: Float32Array.from(dataset.train.x), y: Int32Array.from(dataset.train.y), n: dataset.train.n, d: 6 };
  const model = await trainClassifier({ family: 'tree', maxDepth: 3 }, train, 2, Rng.from('tree'));
  await model.save(modelDir);
  const data = await refOf('ingest', dataDir);
  const prior = await runStage(choosePrior, { prior: { kind: 'gaussian', shift: 0.5 }, dataset: 'sirtuin6', seed: 0 }, { data });
  inputs = { data, model: await refOf('train-base', modelDir), prior: prior.ref };
});

async function sampleRun(params: Record<string, number | string | null>) {
  const run = await runStage(sample, { steps: 200, seed: 0, ...params }, inputs);
  const samples = JSON.parse(await readFile(join(run.outDir, 'samples.json'), 'utf8')) as SamplesFile;
  const diagnostics = JSON.parse(await readFile(join(run.outDir, 'diagnostics.json'), 'utf8')) as SamplerDiagnostics;
  return { run, samples, diagnostics, bytes: await readFile(join(run.outDir, 'samples.json'), 'utf8') };
}

describe('sample stage', () => {
  test('writes files and metrics', async () => {
    const { run, samples, diagnostics } = await sampleRun({});
    expect(samples.n).toBe(100);
    expect(samples.y.filter((c) => c === 1)).toHaveLength(50);
    expect(diagnostics.sampler).toBe('mh');
    expect(diagnostics.modelCalls).toBe(201);
    const metrics = run.result.metrics ?? {};
    expect(metrics.acceptance).toBeCloseTo((diagnostics.acceptance[0] + diagnostics.acceptance[1]) / 2, 12);
    expect(metrics.rhatMax).toBe(Math.max(...diagnostics.rhat.flat()));
    expect(metrics.essMin).toBe(Math.min(...diagnostics.ess.flat()));
    expect(run.warnings).toEqual(diagnostics.warnings);
  });

  test('csv in original units', async () => {
    const { run, samples } = await sampleRun({});
    const lines = (await readFile(join(run.outDir, 'samples.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('SC-5,SP-6,SHBd,minHaaCH,maxwHBa,FMF,class');
    expect(lines).toHaveLength(101);
    const first = lines[1].split(',');
    const expected = samples.x[1] * dataset.scaler.std[1] + dataset.scaler.mean[1];
    expect(Number(first[1])).toBeCloseTo(expected, 4);
    expect(first[6]).toBe('High_BFE');
  });

  test('same seed byte-identical', async () => {
    const first = await sampleRun({ seed: 3 });
    const second = await sampleRun({ seed: 3 });
    expect(second.bytes).toBe(first.bytes);
  });

  test('different seed differs', async () => {
    const first = await sampleRun({ seed: 3 });
    const second = await sampleRun({ seed: 4 });
    expect(second.bytes).not.toBe(first.bytes);
  });

  test('rejection sampler', async () => {
    const { run, samples, diagnostics } = await sampleRun({ sampler: 'rejection' });
    expect(samples.sampler).toBe('rejection');
    expect(samples.n).toBe(100);
    expect(diagnostics.rhat).toEqual([]);
    expect(run.result.metrics?.rhatMax).toBeNull();
  });

  test('rejection budget error', async () => {
    await expect(sampleRun({ sampler: 'rejection', maxDraws: 50 })).rejects.toThrow(InputError);
  });

  test('invalid burnIn', async () => {
    await expect(sampleRun({ burnIn: 500 })).rejects.toThrow('Invalid sample param burnIn 500');
  });

  test('invalid temperature', async () => {
    await expect(sampleRun({ temperature: 0 })).rejects.toThrow('Invalid sample param temperature 0');
  });
});
