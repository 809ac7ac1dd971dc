/**
 * The worker's side of distributed execution: takes stage jobs from BullMQ, makes their inputs
 * present in this machine's cache and stores the outputs in the shared cache. Stages run in worker
 * threads, so the event loop stays free to renew the jobs' locks.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Job } from 'bullmq';
import type { LocalStore } from '../cache/local-store.js';
import type { RemoteCache } from '../cache/remote-cache.js';
import type { OutputEntry } from '../cache/run-record.js';
import { serializeError } from '../errors.js';
import { inputKeys, localInputs, moduleSha256, resolveModule, type LogEntry, type StageJob, type StageJobResult } from './bullmq-protocol.js';
import type { Executor, StageTask } from './executor.js';

/** Maximum bytes of log text a job returns through Redis; the rest is cut with a note. */
const MAX_LOG_BYTES = 1 << 20;

/** Minimum milliseconds between two progress updates a job sends to Redis. */
const PROGRESS_INTERVAL_MS = 250;

export interface JobContext {
  store: LocalStore;
  remote?: RemoteCache;
  threads: Executor;
  /** Parent of this process's temporary directories, inside the cache so outputs move by rename. */
  tempRoot: string;
}

/**
 * Returns the directory under `cacheRoot` where this process keeps temporary files, after
 * removing those of dead worker processes on this host.
 */
export function workerTempRoot(cacheRoot: string): string {
  // Not under tmp/: a coordinator sharing this cache empties tmp/ when it starts a run.
  const parent = join(cacheRoot, 'worker-tmp');
  const prefix = `${hostname()}-`;
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && Number.isInteger(pid) && !isAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
  return join(parent, `${prefix}${process.pid}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs one stage job; a stage failure is returned as a result, never thrown. */
export async function processStageJob(job: Job<StageJob>, context: JobContext, signal: AbortSignal): Promise<StageJobResult> {
  const log = new LogBuffer();
  mkdirSync(context.tempRoot, { recursive: true });
  const tempDir = mkdtempSync(join(context.tempRoot, 'job-'));
  try {
    const task = await prepareTask(job.data, context, join(tempDir, 'out'));
    let lastProgress = 0;
    const callbacks = {
      progress: (done: number, total: number) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && done < total) return;
        lastProgress = now;
        void job.updateProgress({ done, total }).catch(() => undefined);
      },
      log: (message: string) => log.add('log', message),
      warn: (message: string) => log.add('warn', message),
    };
    const result = await context.threads.run(task, callbacks, signal);
    const outputs = storeOutputs(context.store, task.outDir);
    await context.remote?.pushObjects(Object.values(outputs).map((entry) => entry.hash));
    return { ok: true, outputs, metrics: result.metrics ?? {}, entries: log.entries };
  } catch (error) {
    return { ok: false, error: serializeError(error), entries: log.entries };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Checks the module, makes every input present locally and returns the task to run. */
async function prepareTask(job: StageJob, context: JobContext, outDir: string): Promise<StageTask> {
  const modulePath = resolveModule(job.module);
  if (!existsSync(modulePath)) throw new Error(`Stage module ${modulePath} of ${job.instanceId} was not found on worker ${hostname()}: install the same recon version and pipeline files on every machine`);
  if (moduleSha256(modulePath) !== job.module.sha256) {
    throw new Error(`Stage module ${modulePath} on worker ${hostname()} differs from the coordinator's copy: run the same recon version and pipeline files on every machine`);
  }
  for (const key of inputKeys(job)) await ensureInput(key, context);
  mkdirSync(outDir, { recursive: true });
  return { instanceId: job.instanceId, modulePath, coords: job.coords, params: job.params, inputs: localInputs(job, context.store.root), outDir, seed: job.seed };
}

async function ensureInput(key: string, context: JobContext): Promise<void> {
  const pulled = await context.remote?.pull(key);
  if (pulled?.status === 'corrupt') throw new Error(`Input object ${pulled.hash} of record ${key} failed its hash check in the remote cache`);
  const record = context.store.readRecord(key);
  if (record === undefined || 'outdated' in record) {
    throw new Error(`Input record ${key} is not in the cache ${context.store.root}: give workers the coordinator's cache directory on shared storage, or the same --remote`);
  }
  const missing = context.store.materialize(record);
  if (missing !== undefined) throw new Error(`Input ${missing} of record ${key} has no object in the cache ${context.store.root}`);
}

/** Moves every file under `outDir` into the store; returns path -> object, sorted by path. */
function storeOutputs(store: LocalStore, outDir: string): Record<string, OutputEntry> {
  const outputs: Record<string, OutputEntry> = {};
  for (const path of listFiles(outDir).sort()) outputs[relative(outDir, path).split(sep).join('/')] = store.putFile(path);
  return outputs;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
  });
}

/** Log lines of one job; plain lines are capped so a chatty stage cannot flood Redis, warnings never are. */
class LogBuffer {
  readonly entries: LogEntry[] = [];
  private bytes = 0;
  private cut = false;

  add(level: LogEntry['level'], message: string): void {
    if (level === 'log' && this.cut) return;
    this.bytes += Buffer.byteLength(message);
    if (level === 'log' && this.bytes > MAX_LOG_BYTES) {
      this.cut = true;
      this.entries.push({ level, message: `(log cut after ${MAX_LOG_BYTES} bytes)` });
      return;
    }
    this.entries.push({ level, message: String(message) });
  }
}
