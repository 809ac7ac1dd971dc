/**
 * The coordinator's side of distributed execution: each task becomes a BullMQ job on Redis, and
 * `recon worker` processes on any machine run it. Workers read inputs from and write outputs to
 * the shared cache. This side then copies the outputs into the task's output directory, so the
 * runner stores and records them exactly as after a local run.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Queue, QueueEvents } from 'bullmq';
import type { LocalStore } from '../cache/local-store.js';
import type { RemoteCache } from '../cache/remote-cache.js';
import { deserializeError } from '../errors.js';
import type { StageResult } from '../stage-api.js';
import { checkRedis, connectionOptions } from './bullmq-connection.js';
import { encodeTask, JOB_NAME, parseRedisUrl, QUEUE_NAME, type ProgressMessage, type StageJobResult } from './bullmq-protocol.js';
import type { Executor, StageTask, TaskCallbacks } from './executor.js';

interface Pending {
  task: StageTask;
  callbacks: TaskCallbacks;
  resolve(result: StageResult): void;
  reject(error: Error): void;
}

export class BullmqExecutor implements Executor {
  private readonly pending = new Map<string, Pending>();

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly store: LocalStore,
    private readonly remote: RemoteCache | undefined,
  ) {
    events.on('progress', ({ jobId, data }) => {
      const progress = data as ProgressMessage;
      this.pending.get(jobId)?.callbacks.progress(progress.done, progress.total);
    });
    events.on('completed', ({ jobId, returnvalue }) => void this.settle(jobId, returnvalue as unknown as StageJobResult));
    events.on('failed', ({ jobId, failedReason }) => this.take(jobId)?.reject(new Error(`BullMQ job ${jobId} failed: ${failedReason}`)));
  }

  /** Connects to Redis; raises InputError when the URL is invalid or no server responds there. */
  static async open(redisUrl: string | undefined, store: LocalStore, remote: RemoteCache | undefined): Promise<BullmqExecutor> {
    const url = parseRedisUrl(redisUrl, '--executor bullmq');
    await checkRedis(url);
    const { Queue, QueueEvents } = await import('bullmq');
    const connection = connectionOptions(url);
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    // TODO: report Redis errors after start-up as run events; today a lost server stalls the run until it is back.
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    // Events are read from the stream's end, so the listener must be ready before any job is added.
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new BullmqExecutor(queue, events, store, remote);
  }

  async run(task: StageTask, callbacks: TaskCallbacks, signal: AbortSignal): Promise<StageResult> {
    const job = encodeTask(task, this.store.root);
    const jobId = randomUUID();
    const result = new Promise<StageResult>((resolve, reject) => this.pending.set(jobId, { task, callbacks, resolve, reject }));
    // Stalled jobs are moved back to the queue by BullMQ; `attempts: 1` means a failure is final.
    // TODO: a per-stage `retries: N` in the pipeline would set attempts here; stages cannot ask for retries yet.
    await this.queue.add(JOB_NAME, job, { jobId, attempts: 1, removeOnComplete: true, removeOnFail: true });
    const onAbort = (): void => {
      // A waiting job is removed; a running one finishes on its worker and its outputs are dropped.
      void this.queue.remove(jobId).catch(() => undefined);
      this.take(jobId)?.reject(new Error('Interrupted'));
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    return result.finally(() => signal.removeEventListener('abort', onAbort));
  }

  private take(jobId: string): Pending | undefined {
    const pending = this.pending.get(jobId);
    this.pending.delete(jobId);
    return pending;
  }

  private async settle(jobId: string, result: StageJobResult): Promise<void> {
    const pending = this.take(jobId);
    if (pending === undefined) return;
    for (const entry of result.entries) pending.callbacks[entry.level](entry.message);
    if (!result.ok) return pending.reject(deserializeError(result.error));
    try {
      for (const [path, entry] of Object.entries(result.outputs)) await this.place(entry.hash, join(pending.task.outDir, path));
      pending.resolve({ metrics: result.metrics });
    } catch (error) {
      pending.reject(error as Error);
    }
  }

  /** Copies an output object into a task's output directory, from the local store or the bucket. */
  private async place(hash: string, target: string): Promise<void> {
    mkdirSync(dirname(target), { recursive: true });
    if (!this.store.hasObject(hash) && this.remote !== undefined) {
      const download = await this.remote.fetchObject(hash);
      if (download !== 'ok') throw new Error(`Output object ${hash} is ${download} in the remote cache after its worker finished`);
    }
    if (!this.store.hasObject(hash)) {
      throw new Error(`Output object ${hash} is not in ${this.store.root}: workers must share this cache directory, or every process must use the same --remote`);
    }
    copyFileSync(this.store.objectPath(hash), target);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }

  async terminate(): Promise<void> {
    for (const jobId of [...this.pending.keys()]) this.take(jobId)?.reject(new Error('Interrupted'));
    await this.close();
  }
}
