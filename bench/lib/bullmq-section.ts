/**
 * The --bullmq section: cold runs of one pipeline through `--executor bullmq` with two
 * `recon worker --concurrency 1` processes on a shared cache, against `--executor local --jobs 2`,
 * alternating over BULLMQ_ROUNDS rounds. Redis and the workers run on this machine, on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startRedis, startWorker, REDIS_SERVER, type RedisServer, type Started } from './bullmq-servers.js';
import { median } from './measure.js';
import { createWorkspace, reconEnv, reconRun, REPO_DIR } from './pipelines.js';
import { ratio, type BenchResults } from './results.js';

/** Each round runs bullmq then local, so load drift affects both settings alike. */
const BULLMQ_ROUNDS = 3;
const WORKERS = 2;

interface Log {
  (message: string): void;
}

/**
 * Times one cold run through BullMQ in a fresh workspace. The workers start on its cache before the
 * clock starts and stop after it stops, so the figure is the coordinator's wall time.
 */
async function timeBullmqRun(pipeline: string, redis: RedisServer): Promise<number> {
  const workspace = await createWorkspace();
  const workers: Started[] = [];
  try {
    const cacheDir = join(workspace.dir, 'cache');
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(redis.url, cacheDir, reconEnv(workspace)));
    const run = await reconRun(pipeline, workspace, ['--executor', 'bullmq', '--redis', redis.url, '--jobs', String(WORKERS)]);
    return run.wallS;
  } finally {
    for (const worker of workers) await worker.stop();
    await workspace.remove();
  }
}

/** Times one cold run with the local executor at --jobs 2 in a fresh workspace. */
async function timeLocalRun(pipeline: string): Promise<number> {
  const workspace = await createWorkspace();
  try {
    return (await reconRun(pipeline, workspace, ['--jobs', String(WORKERS)])).wallS;
  } finally {
    await workspace.remove();
  }
}

/** Fills the bullmq figures of `results`, or their `skipped` reason. */
export async function bullmqSection(results: BenchResults, pipeline: string, log: Log): Promise<void> {
  results.bullmq_pipeline = relative(REPO_DIR, pipeline);
  results.bullmq_cold_s = null;
  results.local_jobs2_cold_s = null;
  results.bullmq_overhead = null;
  results.bullmq_runs_s = [];
  results.local_jobs2_runs_s = [];

  if (!existsSync(REDIS_SERVER)) {
    results.skipped.bullmq_cold_s = `${REDIS_SERVER} is missing (Debian package redis-server)`;
    return;
  }

  let redis: RedisServer | undefined;
  try {
    redis = await startRedis();
    log(`redis-server ready on ${redis.url}`);
    for (let round = 1; round <= BULLMQ_ROUNDS; round++) {
      log(`recon: cold run of ${results.bullmq_pipeline} with --executor bullmq, ${WORKERS} workers (round ${round} of ${BULLMQ_ROUNDS})`);
      results.bullmq_runs_s.push(await timeBullmqRun(pipeline, redis));
      log(`  bullmq cold run: ${results.bullmq_runs_s.at(-1)!.toFixed(1)} s`);
      log(`recon: cold run of ${results.bullmq_pipeline} with --executor local --jobs ${WORKERS} (round ${round} of ${BULLMQ_ROUNDS})`);
      results.local_jobs2_runs_s.push(await timeLocalRun(pipeline));
      log(`  local cold run: ${results.local_jobs2_runs_s.at(-1)!.toFixed(1)} s`);
    }
  } catch (error) {
    results.skipped.bullmq_cold_s = (error as Error).message;
    return;
  } finally {
    await redis?.stop();
  }

  results.bullmq_cold_s = median(results.bullmq_runs_s);
  results.local_jobs2_cold_s = median(results.local_jobs2_runs_s);
  results.bullmq_overhead = ratio(results.bullmq_cold_s, results.local_jobs2_cold_s);
}
