import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashTree, project, recon, startRecon, summaryOf } from '../engine/cli-helpers.js';
import { freePort, hasRedis, startRedis, stopChild, waitForOutput, type RunningServer } from './servers.js';
import { eventsOf, FAST_STALL, reconAsync, slowFits, startedBy, startWorker, type WorkerProcess } from './workers.js';

if (!hasRedis) console.warn('redis-server is not installed: skipping the BullMQ tests (apt-get install -y redis-server)');

/** Event type and instance id of every event but timing-dependent ones, sorted. */
function eventShape(stdout: string): string[] {
  return eventsOf(stdout).filter((event) => event.type !== 'summary').map((event) => `${event.type} ${event.id ?? ''}`).sort();
}

describe.skipIf(!hasRedis)('bullmq executor', () => {
  let redis: RunningServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  test('two workers match a local run', async () => {
    const local = project('basic');
    const shared = project('basic');
    slowFits(local, 150);
    slowFits(shared, 150);
    const localRun = recon(local, 'run', 'pipeline.yaml', '--json', '--jobs', '2');
    expect(localRun.code).toBe(0);
    const workers = [await startWorker(shared, redis.url), await startWorker(shared, redis.url)];
    try {
      const run = await reconAsync(shared, 'run', 'pipeline.yaml', '--json', '--jobs', '4', '--executor', 'bullmq', '--redis', redis.url);
      expect(run.code).toBe(0);
      expect(summaryOf(run).executed).toBe(14);
      expect(hashTree(join(shared, 'artifacts'))).toEqual(hashTree(join(local, 'artifacts')));
      expect(eventShape(run.stdout)).toEqual(eventShape(localRun.stdout));
      const rerun = await reconAsync(shared, 'run', 'pipeline.yaml', '--json', '--executor', 'bullmq', '--redis', redis.url);
      expect(summaryOf(rerun).executed).toBe(0);
      expect(recon(shared, 'verify').code).toBe(0);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    // 13 of the 14 instances are custom stages; the shell stage `count` runs on the coordinator.
    const started = workers.flatMap(startedBy);
    expect(started.length).toBe(13);
    expect(new Set(started).size).toBe(13);
    expect(startedBy(workers[0]).length).toBeGreaterThan(0);
    expect(startedBy(workers[1]).length).toBeGreaterThan(0);
  });

  test('SIGKILL of a worker mid-stage', async () => {
    const local = project('basic');
    const shared = project('basic');
    // delayMs changes keys but not outputs, so the local reference runs at full speed.
    slowFits(shared, 1000);
    expect(recon(local, 'run', 'pipeline.yaml', '--jobs', '2').code).toBe(0);
    // A server of its own: BullMQ skips the stalled-job check for as long as an earlier worker's
    // --stalled-interval (30 s by default) marked it done on the queue.
    const server = await startRedis();
    const doomed = await startWorker(shared, server.url, ...FAST_STALL);
    const survivor = await startWorker(shared, server.url, ...FAST_STALL);
    try {
      const run = startRecon(shared, 'run', 'pipeline.yaml', '--json', '--jobs', '2', '--executor', 'bullmq', '--redis', server.url);
      let stdout = '';
      run.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => run.once('exit', (code) => resolve(code)));
      await waitForOutput(doomed.child, 'start  fit[');
      const killedInstance = startedBy(doomed).find((id) => id.startsWith('fit['))!;
      doomed.child.kill('SIGKILL');
      expect(await exited).toBe(0);
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { executed: number; failed: number };
      expect(summary.failed).toBe(0);
      expect(summary.executed).toBe(14);
      // The stalled job went back to the queue and the surviving worker ran it.
      expect(startedBy(survivor)).toContain(killedInstance);
      expect(hashTree(join(shared, 'artifacts'))).toEqual(hashTree(join(local, 'artifacts')));
      expect(recon(shared, 'verify').code).toBe(0);
    } finally {
      await Promise.all([doomed.stop(), survivor.stop()]);
      await server.stop();
    }
  });

  test('failed stage reported once with its log', async () => {
    const dir = project('basic');
    const stage = join(dir, 'stages', 'fit.mjs');
    writeFileSync(stage, readFileSync(stage, 'utf8').replace('const sum =', "if (data.dataset === 'beta') { ctx.log('about to fail'); ctx.warn('failing soon'); throw new Error('fit failed on purpose'); }\n    const sum ="));
    const worker = await startWorker(dir, redis.url);
    const run = await reconAsync(dir, 'run', 'pipeline.yaml', '--json', '--keep-going', '--executor', 'bullmq', '--redis', redis.url);
    await worker.stop();
    expect(run.code).toBe(1);
    const failures = eventsOf(run.stdout).filter((event) => event.type === 'instance-failed');
    expect(failures.map((event) => event.id).sort()).toEqual(['fit[beta,large,seed=0]', 'fit[beta,large,seed=1]', 'fit[beta,small,seed=0]', 'fit[beta,small,seed=1]']);
    const log = readFileSync(failures[0].logPath!, 'utf8');
    expect(log).toContain('about to fail');
    expect(log).toContain('warning: failing soon');
    expect(log).toContain('fit failed on purpose');
    expect(eventsOf(run.stdout).filter((event) => event.type === 'instance-warning' && event.id === failures[0].id).length).toBe(1);
    // Not retried: each failing instance started exactly once.
    expect(startedBy(worker).filter((id) => id === failures[0].id).length).toBe(1);
    expect(summaryOf(run).executed).toBe(8);
  });

  test('missing or invalid --redis', async () => {
    const dir = project('basic');
    const missing = recon(dir, 'run', 'pipeline.yaml', '--executor', 'bullmq');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--executor bullmq needs --redis');
    const wrongScheme = recon(dir, 'run', 'pipeline.yaml', '--executor', 'bullmq', '--redis', 'http://127.0.0.1:6379');
    expect(wrongScheme.code).toBe(2);
    expect(wrongScheme.stderr).toContain('--redis expects a redis:// or rediss:// URL; found "http://127.0.0.1:6379"');
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const refused = recon(dir, 'run', 'pipeline.yaml', '--executor', 'bullmq', '--redis', closed);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Cannot connect to Redis at ${closed}`);
    const worker = recon(dir, 'worker');
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain('recon worker needs --redis');
    const workerRefused = recon(dir, 'worker', '--redis', closed);
    expect(workerRefused.code).toBe(2);
    expect(workerRefused.stderr).toContain(`Cannot connect to Redis at ${closed}`);
  });

  test('worker rejects tiny lock timings', () => {
    const dir = project('basic');
    const result = recon(dir, 'worker', '--redis', redis.url, '--lock-duration', '10');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--lock-duration must be at least 500 ms; found 10');
  });

  test('worker stops on SIGTERM', async () => {
    const dir = project('basic');
    const worker: WorkerProcess = await startWorker(dir, redis.url);
    expect(await stopChild(worker.child)).toBe(0);
    expect(worker.output()).toContain('SIGTERM: finishing running stages, then stopping');
  });
});
