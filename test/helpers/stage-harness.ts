/**
 * Runs a stage definition directly, without the engine, for unit tests of stages: a temporary
 * output directory, a seeded context, and InputRefs built from earlier harness runs.
 */
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Rng } from '../../src/random.js';
import type { InputRef, JsonObject, StageDefinition, StageInputs, StageResult } from '../../src/stage-api.js';

export interface HarnessRun {
  outDir: string;
  result: StageResult;
  logs: string[];
  warnings: string[];
  /** This run's outputs as an InputRef, to feed a downstream stage. */
  ref: InputRef;
}

async function listFiles(dir: string, base = dir): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory()) Object.assign(files, await listFiles(path, base));
    else files[relative(base, path)] = path;
  }
  return files;
}

/**
 * Runs `stage` with `params` merged over the stage's non-interpolated defaults. The random seed
 * derives from the params, as in the engine.
 */
export async function runStage(
  stage: StageDefinition<any>,
  params: JsonObject,
  inputs: StageInputs = {},
  options: { id?: string; coords?: JsonObject; signal?: AbortSignal } = {},
): Promise<HarnessRun> {
  const resolved: JsonObject = {};
  for (const [name, spec] of Object.entries(stage.params)) {
    const value = spec.default;
    if (value !== undefined && !(typeof value === 'string' && value.includes('${'))) resolved[name] = value;
  }
  Object.assign(resolved, params);
  const outDir = await mkdtemp(join(tmpdir(), `recon-stage-${stage.kind}-`));
  const logs: string[] = [];
  const warnings: string[] = [];
  const id = options.id ?? `${stage.kind}[test]`;
  const coords = options.coords ?? {};
  const seedMaterial = JSON.stringify([stage.kind, resolved]);
  const result =
    (await stage.run(resolved, inputs, {
      instanceId: id,
      coords,
      outDir,
      rng: (label: string) => Rng.from(seedMaterial, label),
      signal: options.signal ?? new AbortController().signal,
      progress: () => {},
      log: (message) => logs.push(message),
      warn: (message) => warnings.push(message),
    })) ?? {};
  const ref: InputRef = {
    id,
    stage: stage.kind,
    coords,
    params: resolved,
    files: await listFiles(outDir),
    metrics: result.metrics ?? {},
  };
  return { outDir, result, logs, warnings, ref };
}
