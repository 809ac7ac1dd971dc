/**
 * Up-to-date detection: computes an instance's key inputs from its resolved params, code and
 * upstream manifest hashes, and decides whether its run record can be reused.
 */
import { relative, resolve, sep } from 'node:path';
import { canonicalJson, sha256Hex, type CacheKey } from './canonical-json.js';
import type { JsonObject } from './stage-api.js';
import type { LocalStore } from './cache/local-store.js';
import type { RecordIndex } from './cache/record-index.js';
import type { RecordSummary } from './cache/run-record.js';
import type { StatCache } from './cache/stat-cache.js';
import type { Heads } from './cache/heads.js';
import type { Instance } from './dag.js';
import { keyParams } from './config/params.js';
import { diffKeyInputs, type RerunReason } from './explain.js';
import { cacheKey, ENGINE_FORMAT_VERSION, installedVersion, type CodeHasher, type KeyInputs } from './hashing.js';

export interface PlanContext {
  store: LocalStore;
  /** Run records by key, from the pipeline's index file or the record files. */
  index: RecordIndex;
  stats: StatCache;
  code: CodeHasher;
  /** Keys of the previous run per instance id, for rerun reasons. */
  heads: Heads;
  /** Stage names and instance ids given to --force. */
  force: Set<string>;
  /** Directory of the pipeline file; shell deps resolve against it. */
  pipelineDir: string;
}

export type Freshness =
  | { status: 'fresh'; key: CacheKey; keyInputs: KeyInputs; record: RecordSummary }
  | { status: 'stale'; key: CacheKey; keyInputs: KeyInputs; reasons: RerunReason[] }
  | { status: 'pending'; reasons: RerunReason[] };

/** Returns the key inputs of an instance, given the manifest hash of every input instance. */
export function keyInputsFor(instance: Instance, manifests: Map<string, string>, context: PlanContext): KeyInputs {
  const inputs: Record<string, string | string[]> = {};
  for (const input of instance.inputs) {
    // An input that reruns first has no hash yet; explain shows it as changed.
    if (input.many) inputs[input.name] = input.ids.map((id) => manifests.get(id) ?? 'pending');
    else inputs[input.name] = input.ids.length === 0 ? 'none' : (manifests.get(input.ids[0]) ?? 'pending');
  }
  const { kind, stage } = instance;
  if (kind === undefined) {
    const deps: Record<string, string> = {};
    for (const dep of stage.deps) deps[dep] = context.stats.hashFile(resolve(context.pipelineDir, dep)).hash;
    return { format: ENGINE_FORMAT_VERSION, params: instance.params, inputs, kind: 'shell', command: stage.run, deps, libraries: {} };
  }
  const libraries: Record<string, string> = {};
  for (const name of kind.definition.libraries ?? []) libraries[name] = installedVersion(name);
  // Params declared `key: false` (where a file lives, not what it contains) stay out of the key.
  const params = keyParams(kind.definition.params, instance.params);
  const keyInputs: KeyInputs = { format: ENGINE_FORMAT_VERSION, params, inputs, kind: kind.uses, code: context.code.hash(kind.codeEntry), libraries };
  const files = kind.definition.fileParams?.(instance.params) ?? [];
  if (files.length > 0) keyInputs.deps = hashFileParams(files, context);
  return keyInputs;
}

/** Content hash per file a stage's params read, keyed by its path relative to the pipeline. */
function hashFileParams(files: string[], context: PlanContext): Record<string, string> {
  const deps: Record<string, string> = {};
  for (const file of files) {
    const path = resolve(context.pipelineDir, file);
    // A missing or unreadable file fails the stage with its own message; here it only keys the run.
    let hash: string;
    try {
      hash = context.stats.hashFile(path).hash;
    } catch (error) {
      hash = `unreadable: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
    deps[relative(context.pipelineDir, path).split(sep).join('/')] = hash;
  }
  return deps;
}

/** Decides whether an instance can be reused; `manifests` contains the up-to-date upstream hashes. */
export function assess(instance: Instance, manifests: Map<string, string>, context: PlanContext): Freshness {
  if (!inputsSettled(instance, manifests)) {
    const pending = instance.inputs
      .map((input) => ({ input: input.name, ids: input.ids.filter((id) => !manifests.has(id)) }))
      .filter((entry) => entry.ids.length > 0);
    return { status: 'pending', reasons: pending.map((entry) => ({ reason: 'upstream-pending', ...entry })) };
  }
  const keyInputs = keyInputsFor(instance, manifests, context);
  const key = cacheKey(keyInputs);
  const forced = context.force.has(instance.id) || context.force.has(instance.stage.name);
  const stored = context.index.get(key);
  if (stored !== undefined && 'outdated' in stored) {
    const found = (stored.outdated as { format?: unknown } | null)?.format;
    return { status: 'stale', key, keyInputs, reasons: [{ reason: 'record-format-outdated', found: `format ${String(found)}` }] };
  }
  if (stored !== undefined) {
    const missing = context.index.problem(stored) ?? context.store.checkOutputs(stored, context.stats);
    if (missing !== undefined) return { status: 'stale', key, keyInputs, reasons: [{ reason: 'output-missing', path: missing }] };
    if (forced) return { status: 'stale', key, keyInputs, reasons: [{ reason: 'forced' }] };
    return { status: 'fresh', key, keyInputs, record: stored };
  }
  return { status: 'stale', key, keyInputs, reasons: previousRunReasons(instance, keyInputs, context) };
}

/** True when every input instance has a manifest hash; checked without allocating, once per instance. */
function inputsSettled(instance: Instance, manifests: Map<string, string>): boolean {
  for (const input of instance.inputs) {
    for (const id of input.ids) if (!manifests.has(id)) return false;
  }
  return true;
}

/** Compares with the record of the key this instance last ran with. */
function previousRunReasons(instance: Instance, keyInputs: KeyInputs, context: PlanContext): RerunReason[] {
  const previousKey = context.heads[instance.id];
  const previous = previousKey === undefined ? undefined : context.store.readRecord(previousKey);
  if (previous === undefined) return [{ reason: 'no-run-record' }];
  if ('outdated' in previous) return [{ reason: 'record-format-outdated', found: 'previous run' }];
  const reasons = diffKeyInputs(previous.keyInputs, keyInputs);
  return reasons.length > 0 ? reasons : [{ reason: 'no-run-record' }];
}

/** Seed material for StageContext.rng: equal kind and params give equal random streams. */
export function rngSeed(kind: string, params: JsonObject): string {
  return sha256Hex(kind + canonicalJson(params));
}

/**
 * Returns the key inputs of `target` as far as they are known now: inputs that will be recomputed
 * appear as 'pending'. Walks the instances `target` needs, in dependency order.
 */
export function currentKeyInputs(instances: Instance[], target: Instance, context: PlanContext): KeyInputs {
  const manifests = new Map<string, string>();
  for (const instance of instances) {
    if (instance === target) break;
    const freshness = assess(instance, manifests, context);
    if (freshness.status === 'fresh') manifests.set(instance.id, freshness.record.manifestHash);
  }
  return keyInputsFor(target, manifests, context);
}
