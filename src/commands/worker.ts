/**
 * `recon worker`: runs stage jobs that `recon run --executor bullmq` puts on Redis, until SIGINT or
 * SIGTERM. A worker killed in the middle of a stage loses its job lock, and BullMQ's stalled-job
 * check moves the job back to the queue for another worker.
 */
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { CliOptions } from '../cli-options.js';
import { LocalStore } from '../cache/local-store.js';
import { RemoteCache } from '../cache/remote-cache.js';
import { checkRedis, connectionOptions } from '../executor/bullmq-connection.js';
import { parseRedisUrl, QUEUE_NAME, type StageJob, type StageJobResult } from '../executor/bullmq-protocol.js';
import { processStageJob, workerTempRoot, type JobContext } from '../executor/bullmq-worker.js';
import { WorkerPool } from '../executor/worker-pool.js';
import { InputError } from '../errors.js';

/** Times a job may stall (its worker lost) before BullMQ fails it instead of queueing it again. */
const MAX_STALLED_COUNT = 2;

/** Smallest --lock-duration and --stalled-interval accepted, in milliseconds. */
const MIN_TIMING_MS = 500;

const print = (line: string): void => void process.stderr.write(`${line}\n`);

export async function workerCommand(_args: string[], options: CliOptions): Promise<number> {
  const url = parseRedisUrl(options.redis, 'recon worker');
  checkTiming('--lock-duration', options.lockDuration);
  checkTiming('--stalled-interval', options.stalledInterval);
  const concurrency = Math.max(1, options.concurrency);
  await checkRedis(url);
  const context = await openContext(options, concurrency);
  const { Worker } = await import('bullmq');
  const processor = (job: Job<StageJob>, _token?: string, signal?: AbortSignal): Promise<StageJobResult> =>
    processStageJob(job, context, signal ?? new AbortController().signal);
  const worker = new Worker<StageJob, StageJobResult>(QUEUE_NAME, processor, {
    connection: connectionOptions(url), concurrency, autorun: false,
    lockDuration: options.lockDuration, stalledInterval: options.stalledInterval, maxStalledCount: MAX_STALLED_COUNT,
  });
  worker.on('error', (error) => print(`redis error: ${error.message}`));
  await worker.waitUntilReady();
  reportJobs(worker);
  const stopped = stopOnSignal(worker, context);
  print(`worker ${process.pid} ready: queue ${QUEUE_NAME} on ${url}, concurrency ${concurrency}, cache ${context.store.root}${options.remote ? `, remote ${options.remote}` : ''}`);
  await worker.run();
  return stopped;
}

/** BullMQ renews a lock at half its duration, so a very short one leaves a busy worker no slack and it loses its own jobs. */
function checkTiming(flag: string, ms: number): void {
  if (ms < MIN_TIMING_MS) throw new InputError(`${flag} must be at least ${MIN_TIMING_MS} ms; found ${ms}.`, { value: String(ms), hint: 'the default, 30000, suits most clusters; tests use about 2000' });
}

async function openContext(options: CliOptions, concurrency: number): Promise<JobContext> {
  const store = new LocalStore(options.cacheDir);
  const tempRoot = workerTempRoot(store.root);
  const remote = options.remote === '' ? undefined : await RemoteCache.open({ url: options.remote, endpoint: options.endpoint, readOnly: false }, store, join(tempRoot, 'downloads'));
  return { store, remote, threads: new WorkerPool(concurrency), tempRoot };
}

/** Prints one line when a job starts and one when it ends, with the instance id. */
function reportJobs(worker: import('bullmq').Worker<StageJob, StageJobResult>): void {
  worker.on('active', (job) => print(`start  ${job.data.instanceId}`));
  worker.on('completed', (job, result) => print(result.ok ? `done   ${job.data.instanceId}` : `failed ${job.data.instanceId}: ${result.error.message}`));
  worker.on('failed', (job, error) => print(`error  ${job?.data.instanceId ?? 'unknown job'}: ${error.message}`));
  worker.on('stalled', (jobId) => print(`stalled job ${jobId} moved back to the queue`));
}

/**
 * Closes the worker on the first SIGINT or SIGTERM, letting running stages finish. A second signal
 * exits at once, and BullMQ moves the unfinished jobs back to the queue when their locks expire.
 * Resolves to the exit code 0 after a clean stop.
 */
function stopOnSignal(worker: import('bullmq').Worker, context: JobContext): Promise<number> {
  return new Promise((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        print(`${signal} again: exiting now; running jobs return to the queue when their locks expire`);
        void context.threads.terminate().finally(() => process.exit(130));
        return;
      }
      print(`${signal}: finishing running stages, then stopping`);
      void worker.close().then(async () => {
        await context.threads.close();
        context.remote?.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve(0);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
