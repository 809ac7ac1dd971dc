/**
 * The contract between the engine and a built-in stage (`uses: <kind>` in a pipeline, implemented
 * by `stages/<kind>.ts`).
 *
 * A stage is a pure function of (params, inputs) to the files it writes into `ctx.outDir`. The
 * engine does all IO around it: resolving and hashing inputs, caching, logging and progress.
 * A stage module must import heavy libraries (TensorFlow.js, ml-xgboost, arquero, vega) lazily
 * with `await import()`, because the engine loads every stage module to validate pipelines and a
 * no-op rerun must not pay for them.
 */
import { readFile } from 'node:fs/promises';
import type { Rng } from './random.js';

/** Scalar or structured values that may appear in parameters and metrics. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One upstream stage instance as seen by a downstream stage. Plain data, so it crosses threads. */
export interface InputRef {
  /** Instance id, for example `train-base[iris,mlp,labelNoise=0,seed=0]`. */
  id: string;
  /** Stage name in the pipeline. */
  stage: string;
  /** Matrix coordinates of the upstream instance, for example `{ dataset: 'iris', seed: 0 }`. */
  coords: JsonObject;
  /** Resolved parameters of the upstream instance. */
  params: JsonObject;
  /** Output files: path relative to the instance's output directory -> absolute readable path. */
  files: Record<string, string>;
  /** Metrics the upstream stage returned. */
  metrics: JsonObject;
}

/** Inputs by name; `many` inputs (`stage[*]` in YAML) are arrays in a stable order. */
export type StageInputs = Record<string, InputRef | InputRef[]>;

export interface StageContext {
  /** Id of the running instance. */
  instanceId: string;
  /** Matrix coordinates of the running instance. */
  coords: JsonObject;
  /** Empty temporary directory; everything written here becomes the instance's output. */
  outDir: string;
  /**
   * Returns a generator seeded from the instance's resolved parameters and `label`. Use a
   * distinct label per purpose ('split', 'proposal', ...) so that adding a draw in one place does
   * not shift the numbers drawn in another.
   */
  rng(label: string): Rng;
  /** Aborted when the user interrupts the run; long loops should check it. */
  signal: AbortSignal;
  /** Reports progress of long work (rendered as a bar on a terminal). */
  progress(done: number, total: number): void;
  /** Writes a line to the instance's log file. */
  log(message: string): void;
  /** Writes a warning to the instance's log and to the run's output. */
  warn(message: string): void;
}

export interface StageResult {
  /** Small numbers and strings stored in the run record and shown by `recon status`. */
  metrics?: JsonObject;
}

/** Declared parameter of a stage, used to validate pipelines and to generate docs and schema. */
export interface ParamSpec {
  type: 'number' | 'integer' | 'string' | 'boolean' | 'object' | 'array' | 'any';
  description: string;
  /** Default value; strings may interpolate, for example `'${seed}'` or `'${datasets[dataset]}'`. */
  default?: JsonValue;
  /** Allowed values for strings. */
  enum?: string[];
  minimum?: number;
  maximum?: number;
  required?: boolean;
  /**
   * False for a param that only locates files, such as a directory that depends on where the
   * checkout lives, so it should stay out of the cache key (see keyParams()). Default true.
   */
  key?: boolean;
}

export interface InputSpec {
  description: string;
  /** True when the input takes all matching instances (`stage[*]`). */
  many?: boolean;
  optional?: boolean;
}

/** The default export of `stages/<kind>.ts`. */
export interface StageDefinition<P extends JsonObject = JsonObject> {
  /** Kind name, equal to the file name, used as `uses: <kind>`. */
  kind: string;
  description: string;
  params: Record<string, ParamSpec>;
  inputs: Record<string, InputSpec>;
  /** npm packages whose installed versions change results; they enter the cache key. */
  libraries?: string[];
  /** True when the stage is CPU-heavy and should run in a worker thread. */
  cpu?: boolean;
  /**
   * Checks resolved params before anything runs, so a bad value fails the whole pipeline at plan
   * time instead of one instance at run time. Throws InputError, with `path` naming the offending
   * key within the params where it can (for example `['dataset', 'target', 'column']`).
   */
  validate?(params: P): void;
  /**
   * Paths of local files the params read, relative to the pipeline's directory (absolute paths
   * pass through). Their content hashes enter the cache key, so editing such a file reruns the stage.
   */
  fileParams?(params: P): string[];
  run(params: P, inputs: StageInputs, ctx: StageContext): Promise<StageResult | void>;
}

/** Returns the single InputRef of a one-instance input, or raises if the wiring is wrong. */
export function singleInput(inputs: StageInputs, name: string): InputRef {
  const value = inputs[name];
  if (value === undefined) throw new Error(`Internal error: input "${name}" was not provided to the stage`);
  if (Array.isArray(value)) throw new Error(`Internal error: input "${name}" is a list; expected one instance`);
  return value;
}

/** Returns the InputRefs of a many-instance input (a single one is wrapped). */
export function manyInputs(inputs: StageInputs, name: string): InputRef[] {
  const value = inputs[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Returns the absolute path of output file `name` of an upstream instance. */
export function inputPath(ref: InputRef, name: string): string {
  const path = ref.files[name];
  if (path === undefined) {
    const known = Object.keys(ref.files).sort().join(', ') || 'none';
    throw new Error(`Internal error: ${ref.id} has no output file "${name}" (it has: ${known})`);
  }
  return path;
}

/** Reads and parses a JSON output file of an upstream instance. */
export async function readInputJson<T>(ref: InputRef, name: string): Promise<T> {
  return JSON.parse(await readFile(inputPath(ref, name), 'utf8')) as T;
}
