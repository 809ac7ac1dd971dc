import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import choosePrior from '../../stages/choose-prior.js';
import { InputError } from '../../src/errors.js';
import type { PriorFile } from '../../src/formats.js';
import type { InputRef } from '../../src/stage-api.js';
import { runStage } from '../helpers/stage-harness.js';
import { sirtuinDataset } from './fixtures.js';

async function dataRef(): Promise<InputRef> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-prior-test-'));
  const path = join(dir, 'dataset.json');
  await writeFile(path, JSON.stringify(sirtuinDataset()));
  return { id: 'ingest[sirtuin6]', stage: 'ingest', coords: {}, params: {}, files: { 'dataset.json': path }, metrics: {} };
}

describe('choose-prior stage', () => {
  test('writes prior.json and metrics', async () => {
    const run = await runStage(choosePrior, { prior: { kind: 'gaussian', shift: 1 }, dataset: 'sirtuin6', seed: 0 }, { data: await dataRef() });
    const prior = JSON.parse(await readFile(join(run.outDir, 'prior.json'), 'utf8')) as PriorFile;
    expect(prior.kind).toBe('gaussian');
    expect(prior.config).toEqual({ kind: 'gaussian', shift: 1, scale: 1 });
    expect(prior.features).toHaveLength(6);
    expect(run.result.metrics).toEqual({ priorError: prior.priorError, priorAccuracy: prior.priorAccuracy });
    expect(prior.priorAccuracy).toBeCloseTo(Math.exp(-prior.priorError), 12);
  });

  test('empirical beats uniform', async () => {
    const data = await dataRef();
    const empirical = await runStage(choosePrior, { prior: { kind: 'empirical' }, dataset: 'sirtuin6', seed: 0 }, { data });
    const uniform = await runStage(choosePrior, { prior: 'uniform', dataset: 'sirtuin6', seed: 0 }, { data });
    expect(empirical.result.metrics?.priorError).toBeLessThan(uniform.result.metrics?.priorError as number);
  });

  test('rejects unknown kind', async () => {
    const run = runStage(choosePrior, { prior: { kind: 'cauchy' }, dataset: 'sirtuin6', seed: 0 }, { data: await dataRef() });
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow('Invalid prior.kind "cauchy"');
  });
});
