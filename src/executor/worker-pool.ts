/**
 * A pool of worker threads that run stage tasks, one task per worker at a time. Workers start on
 * demand up to `size` and are reused, so a stage module loads once per worker.
 */
import { Worker } from 'node:worker_threads';
import { deserializeError } from '../errors.js';
import type { StageResult } from '../stage-api.js';
import type { Executor, StageTask, TaskCallbacks } from './executor.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

interface Job {
  task: StageTask;
  callbacks: TaskCallbacks;
  signal: AbortSignal;
  resolve(result: StageResult): void;
  reject(error: Error): void;
}

const entry = new URL('./worker-entry.js', import.meta.url);

export class WorkerPool implements Executor {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];

  constructor(private readonly size: number) {}

  run(task: StageTask, callbacks: TaskCallbacks, signal: AbortSignal): Promise<StageResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, callbacks, signal, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : undefined);
      if (worker === undefined) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      const onAbort = (): void => worker.postMessage({ type: 'abort' } satisfies ToWorker);
      job.signal.addEventListener('abort', onAbort, { once: true });
      const settle = job.resolve;
      job.resolve = (result) => {
        job.signal.removeEventListener('abort', onAbort);
        settle(result);
      };
      worker.postMessage({ type: 'run', task: job.task } satisfies ToWorker);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(entry);
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    worker.on('error', (error) => this.onExit(worker, error));
    worker.on('exit', (code) => this.onExit(worker, new Error(`Worker thread exited with code ${code} while running a stage`)));
    return worker;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    const job = this.busy.get(worker);
    if (job === undefined) return;
    switch (message.type) {
      case 'progress':
        return job.callbacks.progress(message.done, message.total);
      case 'log':
        return job.callbacks.log(message.message);
      case 'warn':
        return job.callbacks.warn(message.message);
      case 'result':
      case 'error':
        this.busy.delete(worker);
        this.idle.push(worker);
        if (message.type === 'result') job.resolve(message.result);
        else job.reject(deserializeError(message.error));
        this.dispatch();
        return;
      default: {
        const unknown: never = message;
        throw new Error(`Internal error: unknown worker message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private onExit(worker: Worker, error: Error): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index !== -1) this.idle.splice(index, 1);
    job?.reject(error);
    this.dispatch();
  }

  async close(): Promise<void> {
    const workers = this.idle.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  async terminate(): Promise<void> {
    const workers = [...this.idle.splice(0), ...this.busy.keys()];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
