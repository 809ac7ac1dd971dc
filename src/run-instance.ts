/**
 * Executes one stage instance: a temporary output directory, the stage's code, then its outputs
 * hashed into the store and its run record written last, so a crash leaves no record behind.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CacheKey } from './canonical-json.js';
import { guardWrite, StorageError, type LocalStore } from './cache/local-store.js';
import { RECORD_FORMAT, type OutputEntry, type RecordSummary, type RunRecord } from './cache/run-record.js';
import type { Instance } from './dag.js';
import { serializeError } from './errors.js';
import type { EventSink } from './event.js';
import type { Executor } from './executor/executor.js';
import { runShell } from './executor/shell.js';
import { manifestHash, type KeyInputs } from './hashing.js';
import { rngSeed } from './plan.js';
import type { InputRef, StageInputs, StageResult } from './stage-api.js';

export interface InstanceRunContext {
  store: LocalStore;
  pipeline: string;
  emit: EventSink;
  /** Worker threads for custom and `cpu: true` stages. */
  pool: Executor;
  /** The main thread, for other built-in stages. */
  inProcess: Executor;
  /** Records of up-to-date upstream instances by id. */
  records: Map<string, RecordSummary>;
  byId: Map<string, Instance>;
  signal: AbortSignal;
}

/** `interrupted`: the run's signal aborted while the instance ran, so its error is not a failure. */
export type InstanceOutcome = { ok: true; record: RunRecord } | { ok: false; error: Error; interrupted: boolean };

/**
 * Runs `instance` and stores its outputs. A stage failure is returned as an outcome, not thrown,
 * and so is a cache that cannot be written: a StorageError naming the path. An error raised after
 * an interrupt returns `interrupted: true` and emits no instance-failed event.
 */
export async function executeInstance(instance: Instance, key: CacheKey, keyInputs: KeyInputs, context: InstanceRunContext): Promise<InstanceOutcome> {
  const { store, emit } = context;
  let tempDir: string | undefined;
  try {
    tempDir = store.makeTempDir(instance.id);
    const record = await runAndStore(instance, key, keyInputs, tempDir, context);
    return { ok: true, record };
  } catch (caught) {
    if (context.signal.aborted) return { ok: false, error: caught instanceof Error ? caught : new Error(String(caught)), interrupted: true };
    const error = asStorageError(caught, tempDir) ?? caught;
    const logPath = saveFailedLog(store, instance.id, tempDir && join(tempDir, 'log'), error);
    emit({ type: 'instance-failed', id: instance.id, error: serializeError(error), logPath });
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)), interrupted: false };
  } finally {
    if (tempDir !== undefined) removeTempDir(tempDir);
  }
}

function removeTempDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // A leftover is harmless: the next run empties tmp/ when it takes the lock.
  }
}

/** Runs the stage in `tempDir`, then moves its outputs into the store and writes the record last. */
async function runAndStore(instance: Instance, key: CacheKey, keyInputs: KeyInputs, tempDir: string, context: InstanceRunContext): Promise<RunRecord> {
  const { store } = context;
  const outDir = join(tempDir, 'out');
  const logFile = join(tempDir, 'log');
  guardWrite(tempDir, () => {
    mkdirSync(outDir);
    writeFileSync(logFile, '');
  });

  const startedAt = new Date();
  const warnings: string[] = [];
  const result = await runCode(instance, keyInputs, { outDir, logFile, warnings }, context);
  if (context.signal.aborted) throw new Error('Interrupted');

  const outputs = storeOutputs(store, outDir);
  const log = store.putFile(logFile).hash;
  const record: RunRecord = {
    format: RECORD_FORMAT,
    key,
    instanceId: instance.id,
    stage: instance.stage.name,
    kind: keyInputs.kind,
    pipeline: context.pipeline,
    keyInputs,
    outputs,
    manifestHash: manifestHash(outputs),
    metrics: result.metrics ?? {},
    timings: { startedAt: startedAt.toISOString(), wallMs: Date.now() - startedAt.getTime() },
    log,
    warnings,
  };
  store.writeRecord(record);
  store.materialize(record);
  return record;
}

/**
 * Recognizes a stage that failed because its output directory, inside the cache, ran out of
 * space. Errors from worker threads arrive without `code`, so the message prefix is checked too.
 */
function asStorageError(error: unknown, tempDir: string | undefined): StorageError | undefined {
  if (error instanceof StorageError || tempDir === undefined) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? /^(ENOSPC|EDQUOT|EROFS):/.exec((error as Error).message ?? '')?.[1];
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS') return new StorageError(join(tempDir, 'out'), code);
  return undefined;
}

interface RunFiles {
  outDir: string;
  logFile: string;
  warnings: string[];
}

async function runCode(instance: Instance, keyInputs: KeyInputs, files: RunFiles, context: InstanceRunContext): Promise<StageResult> {
  const { id } = instance;
  const inputs = buildInputs(instance, context);
  if (instance.kind === undefined) {
    const inputDirs: Record<string, string[]> = {};
    for (const input of instance.inputs) inputDirs[input.name] = input.ids.map((upstream) => context.store.outputDir(context.records.get(upstream)!));
    const task = { command: instance.stage.run!, inputDirs, outputs: instance.stage.outputs, params: instance.params, coords: instance.coords, outDir: files.outDir, logFile: files.logFile };
    await runShell(task, context.signal);
    return {};
  }
  const callbacks = {
    progress: (done: number, total: number) => context.emit({ type: 'instance-progress', id, done, total }),
    log: (message: string) => appendFileSync(files.logFile, `${message}\n`),
    warn: (message: string) => {
      files.warnings.push(message);
      appendFileSync(files.logFile, `warning: ${message}\n`);
      context.emit({ type: 'instance-warning', id, message });
    },
  };
  const task = { instanceId: id, modulePath: instance.kind.modulePath, coords: instance.coords, params: instance.params, inputs, outDir: files.outDir, seed: rngSeed(keyInputs.kind, keyInputs.params) };
  const executor = instance.kind.runsInWorker ? context.pool : context.inProcess;
  return executor.run(task, callbacks, context.signal);
}

function buildInputs(instance: Instance, context: InstanceRunContext): StageInputs {
  const inputs: StageInputs = {};
  for (const input of instance.inputs) {
    const refs = input.ids.map((id) => inputRef(context.byId.get(id)!, context.records.get(id)!, context.store));
    inputs[input.name] = input.many ? refs : refs[0];
  }
  return inputs;
}

/** Describes an up-to-date upstream instance to a downstream stage. */
export function inputRef(instance: Instance, record: RecordSummary, store: LocalStore): InputRef {
  const dir = store.outputDir(record);
  const files: Record<string, string> = {};
  for (const path of Object.keys(record.outputs)) files[path] = join(dir, path);
  return { id: instance.id, stage: instance.stage.name, coords: instance.coords, params: instance.params, files, metrics: record.metrics };
}

/** Moves every file under `outDir` into the store; returns path -> object, sorted by path. */
function storeOutputs(store: LocalStore, outDir: string): Record<string, OutputEntry> {
  const outputs: Record<string, OutputEntry> = {};
  for (const path of listFiles(outDir).sort()) outputs[relative(outDir, path).split('\\').join('/')] = store.putFile(path);
  return outputs;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * Keeps the log of a failed instance under logs/ and returns its path. When the cache cannot be
 * written either, the error goes to the run's output only.
 */
function saveFailedLog(store: LocalStore, id: string, logFile: string | undefined, error: unknown): string {
  const dir = join(store.root, 'logs');
  const path = join(dir, `${id.replace(/[^\w.=-]+/g, '_')}.log`);
  try {
    mkdirSync(dir, { recursive: true });
    if (logFile !== undefined && existsSync(logFile)) copyFileSync(logFile, path);
    appendFileSync(path, `\nerror: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return path;
  } catch (writeError) {
    return `not saved (${(writeError as Error).message})`;
  }
}
