/**
 * Resolves `uses:` to a stage module: a built-in kind (`sample` -> dist/stages/sample.js, compiled
 * from stages/sample.ts) or a custom module next to the pipeline (`./my-stage.mjs`). Both export a
 * StageDefinition as their default export.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledStagesDir } from '../paths.js';
import type { StageDefinition } from '../stage-api.js';

export interface StageKind {
  origin: 'builtin' | 'custom';
  /** `uses:` as written. */
  uses: string;
  /** Absolute path of the JavaScript module that is imported to run the stage. */
  modulePath: string;
  /**
   * Absolute path of the file the code hash starts from: the module that runs, so the key follows
   * the compiled code and not a source edited since the last build.
   */
  codeEntry: string;
  definition: StageDefinition;
  /** False for custom modules that do not declare `params`; their params are then not checked. */
  declaresParams: boolean;
  declaresInputs: boolean;
  /** Custom modules and `cpu: true` stages run in worker threads. */
  runsInWorker: boolean;
}

export type StageKindResult = { ok: true; value: StageKind } | { ok: false; message: string; hint?: string };

const loaded = new Map<string, Promise<StageKindResult>>();

/** True when `uses` names a custom module rather than a built-in kind. */
export function isCustomModule(uses: string): boolean {
  return uses.startsWith('./') || uses.startsWith('../') || uses.startsWith('/');
}

/** Names of the compiled built-in stage kinds. */
export function listBuiltinKinds(): string[] {
  if (!existsSync(compiledStagesDir)) return [];
  return readdirSync(compiledStagesDir)
    .filter((name) => name.endsWith('.js'))
    .map((name) => name.slice(0, -3))
    .sort();
}

/** Loads the stage module that `uses` names; each module is imported once per process. */
export function loadStageKind(uses: string, pipelineDir: string): Promise<StageKindResult> {
  const custom = isCustomModule(uses);
  const modulePath = custom ? resolve(pipelineDir, uses) : join(compiledStagesDir, `${uses}.js`);
  let result = loaded.get(modulePath);
  if (result === undefined) {
    result = importKind(uses, modulePath, custom);
    loaded.set(modulePath, result);
  }
  return result;
}

async function importKind(uses: string, modulePath: string, custom: boolean): Promise<StageKindResult> {
  if (!existsSync(modulePath)) {
    if (custom) return { ok: false, message: `Stage module "${uses}" not found (looked for ${modulePath}).`, hint: 'paths in uses: are relative to the pipeline file' };
    return { ok: false, message: `Unknown stage kind "${uses}".` };
  }
  let definition: StageDefinition | undefined;
  try {
    const module = (await import(pathToFileURL(modulePath).href)) as { default?: StageDefinition };
    definition = module.default;
  } catch (error) {
    return { ok: false, message: `Stage module "${uses}" failed to load: ${(error as Error).message}`, hint: custom ? undefined : 'run npm run build' };
  }
  if (typeof definition?.run !== 'function') {
    return { ok: false, message: `Stage module "${uses}" has no default export with a run() function.`, hint: 'export default { kind, params, inputs, run } (a StageDefinition)' };
  }
  const kind: StageKind = {
    origin: custom ? 'custom' : 'builtin',
    uses,
    modulePath,
    codeEntry: modulePath,
    definition: { ...definition, params: definition.params ?? {}, inputs: definition.inputs ?? {} },
    declaresParams: definition.params !== undefined,
    declaresInputs: definition.inputs !== undefined,
    runsInWorker: custom || definition.cpu === true,
  };
  return { ok: true, value: kind };
}
