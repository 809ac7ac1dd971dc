/**
 * The no-op fast path: a sealed record index and an unchanged runs/ directory skip per-record
 * checks, and one lstat per output view replaces the object checks. Damage made after the
 * cache reached that state must still be found.
 */
import { chmodSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hashTree, project, recon, summaryOf } from './cli-helpers.js';

interface IndexFile {
  runs: string;
  checksum: string;
  records: Record<string, { key: string; instanceId: string; outputs: Record<string, { hash: string; size: number }> }>;
}

const indexPath = (dir: string): string => join(dir, 'cache', 'index', 'basic.json');
const readIndex = (dir: string): IndexFile => JSON.parse(readFileSync(indexPath(dir), 'utf8')) as IndexFile;
const objectPath = (dir: string, hash: string): string => join(dir, 'cache', 'objects', hash.slice(0, 2), hash.slice(2));

function recordOf(dir: string, id: string): IndexFile['records'][string] {
  const record = Object.values(readIndex(dir).records).find((entry) => entry.instanceId === id);
  if (record === undefined) throw new Error(`no index entry for ${id}`);
  return record;
}

/**
 * Runs once, waits past the 2 s window in which timestamps are not trusted, and runs again so
 * that the stat cache and the index fingerprint are stored. Returns the artifacts' hashes.
 */
async function warm(dir: string, prepare?: () => void): Promise<Record<string, string>> {
  expect(recon(dir, 'run', 'pipeline.yaml').code).toBe(0);
  prepare?.();
  await new Promise((resolve) => setTimeout(resolve, 2100));
  expect(summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json')).executed).toBe(0);
  expect(readIndex(dir).runs).toMatch(/^\d+:\d+:\d+$/);
  return hashTree(join(dir, 'artifacts'));
}

function rerun(dir: string): string[] {
  const result = recon(dir, 'run', 'pipeline.yaml', '--json');
  expect(result.code, result.stderr).toBe(0);
  return summaryOf(result).instances.executed;
}

describe('no-op fast path', () => {
  test('flipped byte with restored mtime', async () => {
    const dir = project('basic');
    // A whole-second mtime can be restored exactly, so only the ctime shows the write.
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const pathOf = (): string => objectPath(dir, recordOf(dir, 'data[alpha,seed=0]').outputs['data.json'].hash);
    const artifacts = await warm(dir, () => utimesSync(pathOf(), past, past));
    const path = pathOf();
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    bytes[3] ^= 0x01;
    writeFileSync(path, bytes);
    utimesSync(path, past, past);
    expect(statSync(path).mtimeMs).toBe(past.getTime());
    expect(rerun(dir)).toEqual(['data[alpha,seed=0]']);
    expect(hashTree(join(dir, 'artifacts'))).toEqual(artifacts);
    expect(recon(dir, 'verify').code).toBe(0);
  });

  test('replaced view is relinked', async () => {
    const dir = project('basic');
    await warm(dir);
    const victim = recordOf(dir, 'fit[beta,large,seed=1]');
    const view = join(dir, 'cache', 'out', victim.key, 'fit.json');
    const text = readFileSync(view, 'utf8');
    rmSync(view);
    writeFileSync(view, text);
    expect(rerun(dir)).toEqual([]);
    expect(statSync(view).ino).toBe(statSync(objectPath(dir, victim.outputs['fit.json'].hash)).ino);
  });

  test('deleted record file reruns', async () => {
    const dir = project('basic');
    await warm(dir);
    const victim = recordOf(dir, 'fit[alpha,small,seed=1]');
    rmSync(join(dir, 'cache', 'runs', `${victim.key}.json`));
    expect(rerun(dir)).toEqual(['fit[alpha,small,seed=1]']);
    expect(recon(dir, 'verify').code).toBe(0);
  });

  test('edited index entry is not trusted', async () => {
    const dir = project('basic');
    const artifacts = await warm(dir);
    const victim = recordOf(dir, 'fit[alpha,large,seed=0]');
    const other = recordOf(dir, 'fit[beta,small,seed=0]');
    const file = readIndex(dir);
    // The checksum stays as it was, as after a hand edit or a stray write.
    file.records[victim.key].outputs['fit.json'] = other.outputs['fit.json'];
    writeFileSync(indexPath(dir), JSON.stringify(file));
    expect(rerun(dir)).toEqual(['fit[alpha,large,seed=0]']);
    expect(readFileSync(join(dir, 'cache', 'out', victim.key, 'fit.json'), 'utf8')).not.toBe(readFileSync(objectPath(dir, other.outputs['fit.json'].hash), 'utf8'));
    expect(hashTree(join(dir, 'artifacts'))).toEqual(artifacts);
  });
});
