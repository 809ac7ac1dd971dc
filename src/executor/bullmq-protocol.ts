/**
 * Messages that the coordinator and `recon worker` exchange through BullMQ. Only keys and small results
 * travel through Redis: files move through the shared cache (a shared directory or the bucket).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { OutputEntry } from '../cache/run-record.js';
import type { SerializedError } from '../errors.js';
import { InputError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { InputRef, JsonObject, StageInputs } from '../stage-api.js';
import type { StageTask } from './executor.js';

/** Queue that coordinators add stage jobs to and workers take them from. */
export const QUEUE_NAME = 'recon-stages';

/** Name of every job in the queue; the payload names the stage that runs. */
export const JOB_NAME = 'stage';

/** A stage module: built-in stages resolve against each machine's own installation. */
export interface ModuleRef {
  base: 'project' | 'absolute';
  path: string;
  /** SHA-256 of the module file on the coordinator, so a worker with other code refuses the job. */
  sha256: string;
}

export interface StageJob {
  instanceId: string;
  module: ModuleRef;
  coords: JsonObject;
  params: JsonObject;
  /** Upstream outputs; `files` values are paths relative to the cache root (`out/<key>/<path>`). */
  inputs: StageInputs;
  seed: string;
}

/** One line the stage logged, in order, so the coordinator's log reads as a local run's would. */
export interface LogEntry {
  level: 'log' | 'warn';
  message: string;
}

/** A finished job; a stage error is a result too, so BullMQ never retries a failed stage. */
export type StageJobResult =
  | { ok: true; outputs: Record<string, OutputEntry>; metrics: JsonObject; entries: LogEntry[] }
  | { ok: false; error: SerializedError; entries: LogEntry[] };

export interface ProgressMessage {
  done: number;
  total: number;
}

const moduleHashes = new Map<string, string>();

/** Hashes a module file once per process. */
export function moduleSha256(path: string): string {
  let hash = moduleHashes.get(path);
  if (hash === undefined) {
    hash = createHash('sha256').update(readFileSync(path)).digest('hex');
    moduleHashes.set(path, hash);
  }
  return hash;
}

/** Describes a task's module so that another installation of recon can find it. */
export function moduleRef(modulePath: string): ModuleRef {
  const inProject = relative(projectRoot, modulePath);
  const portable = !inProject.startsWith('..') && !isAbsolute(inProject);
  return { base: portable ? 'project' : 'absolute', path: portable ? inProject.split(sep).join('/') : modulePath, sha256: moduleSha256(modulePath) };
}

/** Returns the path of a module on this machine. */
export function resolveModule(ref: ModuleRef): string {
  return ref.base === 'project' ? join(projectRoot, ref.path) : ref.path;
}

/** Builds the job of a task whose input files live under `cacheRoot`. */
export function encodeTask(task: StageTask, cacheRoot: string): StageJob {
  const inputs: StageInputs = {};
  for (const [name, value] of Object.entries(task.inputs)) {
    inputs[name] = Array.isArray(value) ? value.map((ref) => relativeRef(ref, cacheRoot)) : relativeRef(value, cacheRoot);
  }
  return { instanceId: task.instanceId, module: moduleRef(task.modulePath), coords: task.coords, params: task.params, inputs, seed: task.seed };
}

function relativeRef(ref: InputRef, cacheRoot: string): InputRef {
  const files: Record<string, string> = {};
  for (const [path, file] of Object.entries(ref.files)) {
    const inCache = relative(cacheRoot, file).split(sep).join('/');
    if (!inCache.startsWith('out/')) throw new Error(`Internal error: input ${file} of ${ref.id} is outside the cache's out/ directory`);
    files[path] = inCache;
  }
  return { ...ref, files };
}

/** Lists the cache keys whose outputs a job reads. */
export function inputKeys(job: StageJob): string[] {
  const keys = new Set<string>();
  for (const value of Object.values(job.inputs)) {
    for (const ref of Array.isArray(value) ? value : [value]) for (const file of Object.values(ref.files)) keys.add(file.split('/')[1]);
  }
  return [...keys];
}

/** Turns the job's relative input paths into paths under this machine's cache root. */
export function localInputs(job: StageJob, cacheRoot: string): StageInputs {
  const place = (ref: InputRef): InputRef => ({ ...ref, files: Object.fromEntries(Object.entries(ref.files).map(([path, file]) => [path, join(cacheRoot, file)])) });
  const inputs: StageInputs = {};
  for (const [name, value] of Object.entries(job.inputs)) inputs[name] = Array.isArray(value) ? value.map(place) : place(value);
  return inputs;
}

/** Checks a `--redis` URL given to `user` (a command or flag); there is no default server. */
export function parseRedisUrl(url: string | undefined, user: string): string {
  if (url === undefined || url === '') {
    throw new InputError(`${user} needs --redis, the URL of the Redis server that stores the queue.`, { hint: 'for example --redis redis://127.0.0.1:6379' });
  }
  if (!/^rediss?:\/\/[^\s/]+/.test(url)) {
    throw new InputError(`--redis expects a redis:// or rediss:// URL; found "${url}".`, { value: url, hint: 'for example --redis redis://127.0.0.1:6379' });
  }
  return url;
}
