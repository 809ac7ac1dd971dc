import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashTree, project, recon, summaryOf } from '../engine/cli-helpers.js';
import { TestBucket, useTestCredentials } from './bucket.js';
import { startS3, type RunningServer } from './servers.js';
import { eventsOf, reconAsync } from './workers.js';

useTestCredentials();
// s3rver runs inside this test process, so every CLI run here must be asynchronous: a synchronous
// spawn would block the server that the run is waiting for.
const BUCKET = 'recon-cache';

/** Hashes of every object in a local cache directory. */
function localObjects(cacheDir: string): Set<string> {
  const root = join(cacheDir, 'objects');
  if (!existsSync(root)) return new Set();
  return new Set(readdirSync(root).flatMap((prefix) => readdirSync(join(root, prefix)).map((rest) => prefix + rest)));
}

interface StoredRecord {
  key: string;
  outputs: Record<string, { hash: string }>;
  log?: string;
}

/** Reads the run record that instance `id` last used in a project's cache. */
function recordOf(dir: string, id: string): StoredRecord {
  const heads = JSON.parse(readFileSync(join(dir, 'cache/heads/basic.json'), 'utf8')) as Record<string, string>;
  return JSON.parse(readFileSync(join(dir, 'cache/runs', `${heads[id]}.json`), 'utf8')) as StoredRecord;
}

function setFactor(dir: string, factor: number): void {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('factor: 2', `factor: ${factor}`));
}

const objectKey = (prefix: string, hash: string): string => `${prefix}/objects/${hash.slice(0, 2)}/${hash.slice(2)}`;

describe('remote cache', () => {
  let s3: RunningServer;
  let bucket: TestBucket;
  const remote = (prefix: string): string[] => ['--remote', `s3://${BUCKET}/${prefix}`, '--endpoint', s3.url];

  beforeAll(async () => {
    s3 = await startS3(BUCKET);
    bucket = new TestBucket(s3.url, BUCKET);
  });
  afterAll(async () => {
    bucket?.close();
    await s3?.stop();
  });

  test('second machine is a no-op', async () => {
    // Another parameter set first, so the bucket contains objects that the second machine must not fetch.
    const variant = project('basic');
    setFactor(variant, 3);
    expect((await reconAsync(variant, 'run', 'pipeline.yaml', ...remote('noop'))).code).toBe(0);
    const first = project('basic');
    const pushed = await reconAsync(first, 'run', 'pipeline.yaml', '--json', ...remote('noop'));
    expect(pushed.code).toBe(0);
    // The data instances do not depend on the factor, so they come from the variant's run.
    expect(summaryOf(pushed).executed).toBe(10);
    expect(summaryOf(pushed).cached).toBe(4);
    const listed = Object.keys(await bucket.list('noop/'));
    const { executed, cached } = summaryOf(pushed).instances;
    for (const id of [...executed, ...cached]) expect(listed).toContain(`noop/runs/${recordOf(first, id).key}.json`);

    const second = project('basic');
    const run = await reconAsync(second, 'run', 'pipeline.yaml', '--json', ...remote('noop'));
    expect(run.code).toBe(0);
    expect(summaryOf(run).executed).toBe(0);
    expect(summaryOf(run).cached).toBe(14);
    expect(hashTree(join(second, 'artifacts'))).toEqual(hashTree(join(first, 'artifacts')));
    // Only output objects of this pipeline's instances came down: no logs, nothing of the variant.
    const needed = new Set(summaryOf(run).instances.cached.flatMap((id) => Object.values(recordOf(second, id).outputs).map((entry) => entry.hash)));
    expect(localObjects(join(second, 'cache'))).toEqual(needed);
    const inBucket = listed.filter((key) => key.startsWith('noop/objects/')).length;
    expect(inBucket).toBeGreaterThan(needed.size);
    expect(recon(second, 'verify').code).toBe(0);
  });

  test('corrupt remote object is replaced', async () => {
    const first = project('basic');
    expect((await reconAsync(first, 'run', 'pipeline.yaml', ...remote('corrupt'))).code).toBe(0);
    const hash = recordOf(first, 'data[beta,seed=1]').outputs['data.json'].hash;
    const bytes = await bucket.get(objectKey('corrupt', hash));
    bytes[5] ^= 0x01;
    await bucket.put(objectKey('corrupt', hash), bytes);
    expect(await bucket.sha256(objectKey('corrupt', hash))).not.toBe(hash);

    const second = project('basic');
    const run = await reconAsync(second, 'run', 'pipeline.yaml', '--json', ...remote('corrupt'));
    expect(run.code).toBe(0);
    const warnings = eventsOf(run.stdout).filter((event) => event.type === 'instance-warning');
    expect(warnings.map((event) => event.id)).toEqual(['data[beta,seed=1]']);
    expect(warnings[0].message).toContain(`remote object ${hash} failed its hash check`);
    // Its downstream keys depend only on its outputs' hashes, so they are still reused.
    expect(summaryOf(run).instances.executed).toEqual(['data[beta,seed=1]']);
    expect(hashTree(join(second, 'artifacts'))).toEqual(hashTree(join(first, 'artifacts')));
    expect(await bucket.sha256(objectKey('corrupt', hash))).toBe(hash);
  });

  test('read-only run writes nothing', async () => {
    const first = project('basic');
    expect((await reconAsync(first, 'run', 'pipeline.yaml', ...remote('readonly'))).code).toBe(0);
    const before = await bucket.list();
    const changed = project('basic');
    setFactor(changed, 5);
    const run = await reconAsync(changed, 'run', 'pipeline.yaml', '--json', '--remote-read-only', ...remote('readonly'));
    expect(run.code).toBe(0);
    // The four data instances come from the bucket; the fits, collect and count are new.
    expect(summaryOf(run).cached).toBe(4);
    expect(summaryOf(run).executed).toBe(10);
    expect(await bucket.list()).toEqual(before);
  });

  test('invalid --remote or --endpoint', async () => {
    const dir = project('basic');
    const badUrl = await reconAsync(dir, 'run', 'pipeline.yaml', '--remote', 'recon-cache/team', '--endpoint', s3.url);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--remote expects s3://BUCKET/PREFIX with a lowercase bucket name; found "recon-cache/team"');
    const noEndpoint = await reconAsync(dir, 'run', 'pipeline.yaml', '--remote', `s3://${BUCKET}/team`);
    expect(noEndpoint.code).toBe(2);
    expect(noEndpoint.stderr).toContain('--remote needs --endpoint');
    const badEndpoint = await reconAsync(dir, 'run', 'pipeline.yaml', '--remote', `s3://${BUCKET}/team`, '--endpoint', '127.0.0.1:9000');
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toContain('--endpoint expects an http:// or https:// URL; found "127.0.0.1:9000"');
    expect(existsSync(join(dir, 'artifacts'))).toBe(false);
  });
});
