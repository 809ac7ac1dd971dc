import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashTree, project, recon, summaryOf } from '../engine/cli-helpers.js';
import { TestBucket, useTestCredentials } from './bucket.js';
import { hasRedis, startRedis, startS3, type RunningServer } from './servers.js';
import { reconAsync, startedBy, startWorker } from './workers.js';

useTestCredentials();
const BUCKET = 'recon-shared';

if (!hasRedis) console.warn('redis-server is not installed: skipping the BullMQ tests (apt-get install -y redis-server)');

describe.skipIf(!hasRedis)('bullmq with a remote cache', () => {
  let redis: RunningServer;
  let s3: RunningServer;
  const caches: string[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    s3 = await startS3(BUCKET);
  });
  afterAll(async () => {
    await redis?.stop();
    await s3?.stop();
    for (const dir of caches) rmSync(dir, { recursive: true, force: true });
  });

  test('workers without a shared directory', async () => {
    const local = project('basic');
    expect(recon(local, 'run', 'pipeline.yaml').code).toBe(0);
    const remote = ['--remote', `s3://${BUCKET}/cluster`, '--endpoint', s3.url];
    const coordinator = project('basic');
    // Each worker has its own empty cache, as on another machine; only the bucket is shared.
    const workerCaches = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'recon-worker-cache-')));
    caches.push(...workerCaches);
    const workers = await Promise.all(workerCaches.map((cache) => startWorker(coordinator, redis.url, '--cache-dir', cache, ...remote)));
    const run = await reconAsync(coordinator, 'run', 'pipeline.yaml', '--json', '--jobs', '4', '--executor', 'bullmq', '--redis', redis.url, ...remote);
    await Promise.all(workers.map((worker) => worker.stop()));
    expect(run.code).toBe(0);
    expect(summaryOf(run).executed).toBe(14);
    expect(hashTree(join(coordinator, 'artifacts'))).toEqual(hashTree(join(local, 'artifacts')));
    expect(workers.flatMap(startedBy).length).toBe(13);
    expect(recon(coordinator, 'verify').code).toBe(0);
    // Every record the coordinator wrote is in the bucket, so a third machine reruns nothing.
    const bucket = new TestBucket(s3.url, BUCKET);
    const records = Object.keys(await bucket.list('cluster/runs/'));
    bucket.close();
    expect(records.length).toBe(14);
    const third = project('basic');
    const rerun = await reconAsync(third, 'run', 'pipeline.yaml', '--json', ...remote);
    expect(summaryOf(rerun).executed).toBe(0);
    expect(hashTree(join(third, 'artifacts'))).toEqual(hashTree(join(local, 'artifacts')));
  });

  test('worker without the cache fails the job', async () => {
    const coordinator = project('basic');
    const elsewhere = mkdtempSync(join(tmpdir(), 'recon-worker-cache-'));
    caches.push(elsewhere);
    const worker = await startWorker(coordinator, redis.url, '--cache-dir', elsewhere);
    const run = await reconAsync(coordinator, 'run', 'pipeline.yaml', '--json', '--executor', 'bullmq', '--redis', redis.url);
    await worker.stop();
    expect(run.code).toBe(1);
    // The data stage has no inputs and runs; the coordinator cannot find its outputs.
    expect(run.stdout).toContain(`is not in ${join(coordinator, 'cache')}: workers must share this cache directory`);
  });
});
