/**
 * Damaged caches: truncated, flipped and deleted objects, unreadable run records, record indexes
 * that lie, replaced output views and damaged bookkeeping files. Each time the next run must
 * recompute exactly the damaged instances, `verify` must report what it finds, and nothing may
 * crash with a stack trace.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { copyProject, hashTree, headRecords, objectPath, recon, removeLater, summaryOf, type CliResult, type StoredRecord } from '../fixtures/robustness/pipelines/harness.js';

const INSTANCES = 11;
const VICTIM = 'gen[b,seed=1]';

let baseline: string;
let expected: Record<string, string>;

beforeAll(() => {
  baseline = copyProject('work');
  const result = recon(baseline, 'run', 'pipeline.yaml', '--jobs', '2');
  expect(result.code, result.stderr).toBe(0);
  expected = hashTree(join(baseline, 'artifacts'));
});

/** Copies the baseline project, cache included, so each case damages its own cache. */
function clone(): { dir: string; victim: StoredRecord } {
  const dir = mkdtempSync(join(tmpdir(), 'recon-robust-damaged-'));
  removeLater(dir);
  cpSync(baseline, dir, { recursive: true });
  return { dir, victim: headRecords(dir).get(VICTIM)! };
}

function run(dir: string): CliResult {
  return recon(dir, 'run', 'pipeline.yaml', '--jobs', '2', '--json');
}

/** Checks that a command printed no stack trace and no internal error. */
function expectNoCrash(result: CliResult): void {
  expect(result.stderr).not.toContain('Internal error');
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

/** Runs, then checks that exactly `ids` were executed and the artifacts are those of a clean run. */
function expectRecomputed(dir: string, ids: string[]): void {
  const result = run(dir);
  expectNoCrash(result);
  expect(result.code, result.stderr).toBe(0);
  const summary = summaryOf(result);
  expect(summary.instances.executed).toEqual(ids);
  expect(summary.cached).toBe(INSTANCES - ids.length);
  expect(hashTree(join(dir, 'artifacts'))).toEqual(expected);
}

function expectVerifyClean(dir: string): void {
  const verify = recon(dir, 'verify');
  expectNoCrash(verify);
  expect(verify.stdout).toMatch(/: 0 corrupt, 0 records removed\n$/);
  expect(verify.code, verify.stdout).toBe(0);
}

/** Rewrites an object in place, as a disk error or a stray write would. */
function damageObject(dir: string, hash: string, change: (bytes: Buffer) => Buffer): void {
  const path = objectPath(dir, hash);
  chmodSync(path, 0o644);
  writeFileSync(path, change(readFileSync(path)));
}

const recordPath = (dir: string, key: string): string => join(dir, 'cache', 'runs', `${key}.json`);
const indexPath = (dir: string): string => join(dir, 'cache', 'index', 'work.json');

describe('damaged objects', () => {
  test('truncated object reruns its instance', () => {
    const { dir, victim } = clone();
    const path = objectPath(dir, victim.outputs['values.bin'].hash);
    chmodSync(path, 0o644);
    truncateSync(path, 100);
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('flipped byte with restored mtime reruns', () => {
    const { dir, victim } = clone();
    // A no-op run with old mtimes stores object hashes in the stat cache; the flip must beat it.
    const path = objectPath(dir, victim.outputs['values.json'].hash);
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    expectRecomputed(dir, []);
    damageObject(dir, victim.outputs['values.json'].hash, (bytes) => {
      bytes[10] ^= 0x01;
      return bytes;
    });
    utimesSync(path, past, past);
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('deleted object reruns its instance', () => {
    const { dir, victim } = clone();
    rmSync(objectPath(dir, victim.outputs['notes/readme.txt'].hash));
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('verify reports a flipped byte', () => {
    const { dir, victim } = clone();
    const hash = victim.outputs['summary.json'].hash;
    damageObject(dir, hash, (bytes) => Buffer.from(bytes.toString('utf8').replace('"sum":', '"sum" :')));
    const verify = recon(dir, 'verify');
    expectNoCrash(verify);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`corrupt object ${hash} (removed)`);
    expect(verify.stdout).toContain(`removed record of ${VICTIM} (key ${victim.key.slice(0, 12)}): object ${hash.slice(0, 12)} of output summary.json is corrupt`);
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('replaced output view is relinked', () => {
    const { dir, victim } = clone();
    const view = join(dir, 'cache', 'out', victim.key, 'values.json');
    rmSync(view);
    writeFileSync(view, '[1, 2, 3]');
    expectRecomputed(dir, []);
    expect(statSync(view).ino).toBe(statSync(objectPath(dir, victim.outputs['values.json'].hash)).ino);
  });
});

describe('damaged run records', () => {
  test('truncated record with index', () => {
    const { dir, victim } = clone();
    const path = recordPath(dir, victim.key);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 200));
    // The index still describes the intact outputs, so nothing must rerun yet.
    expectRecomputed(dir, []);
    const verify = recon(dir, 'verify');
    expectNoCrash(verify);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`removed record of unknown (key ${victim.key.slice(0, 12)}): record not valid JSON (truncated or damaged)`);
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('truncated record without index', () => {
    const { dir, victim } = clone();
    writeFileSync(recordPath(dir, victim.key), '{"format": 1, "key": "');
    rmSync(indexPath(dir));
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('record of the wrong shape', () => {
    const { dir, victim } = clone();
    writeFileSync(recordPath(dir, victim.key), JSON.stringify({ format: 1, key: victim.key, outputs: 5 }));
    rmSync(indexPath(dir));
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('empty record file', () => {
    const { dir, victim } = clone();
    writeFileSync(recordPath(dir, victim.key), '');
    const verify = recon(dir, 'verify');
    expectNoCrash(verify);
    expect(verify.stdout).toContain(`(key ${victim.key.slice(0, 12)}): record empty`);
    expectRecomputed(dir, [VICTIM]);
  });
});

describe('record index that lies', () => {
  const editIndex = (dir: string, edit: (records: Record<string, StoredRecord>) => void): void => {
    const file = JSON.parse(readFileSync(indexPath(dir), 'utf8')) as { records: Record<string, StoredRecord> };
    edit(file.records);
    writeFileSync(indexPath(dir), JSON.stringify(file));
  };

  test('entry whose record file is gone', () => {
    const { dir, victim } = clone();
    rmSync(recordPath(dir, victim.key));
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('entry naming another object', () => {
    const { dir, victim } = clone();
    const other = headRecords(dir).get('gen[a,seed=0]')!;
    editIndex(dir, (records) => {
      records[victim.key].outputs['values.json'] = other.outputs['values.json'];
    });
    const verify = recon(dir, 'verify');
    expect(verify.stdout).toContain('record index of work has 1 entry that disagree with the run records (removed; the next run rebuilds it)');
    expect(verify.code).toBe(1);
    expectRecomputed(dir, []);
  });

  test('entry naming another object, no verify', () => {
    const { dir, victim } = clone();
    const other = headRecords(dir).get('gen[a,seed=0]')!;
    editIndex(dir, (records) => {
      records[victim.key].outputs['values.json'] = other.outputs['values.json'];
    });
    expectRecomputed(dir, [VICTIM]);
    expectVerifyClean(dir);
  });

  test('entry of the wrong shape', () => {
    const { dir, victim } = clone();
    editIndex(dir, (records) => {
      (records as Record<string, unknown>)[victim.key] = 5;
    });
    // The record file is intact, so the run reads it instead and reruns nothing.
    expectRecomputed(dir, []);
  });

  for (const [name, text] of [['garbage', '[1, 2'], ['null records', '{"format":1,"records":null}'], ['empty', '']] as const) {
    test(`index file ${name}`, () => {
      const { dir } = clone();
      writeFileSync(indexPath(dir), text);
      expectRecomputed(dir, []);
    });
  }
});

describe('damaged bookkeeping', () => {
  for (const [name, text] of [['null', 'null'], ['garbage', '{"a": ['], ['wrong entries', '{"/x": 5, "/y": ["1","2","3","4","5",7]}']] as const) {
    test(`stat cache ${name}`, () => {
      const { dir } = clone();
      writeFileSync(join(dir, 'cache', 'stat-cache.json'), text);
      expectRecomputed(dir, []);
    });
  }

  test('heads file null', () => {
    const { dir } = clone();
    writeFileSync(join(dir, 'cache', 'heads', 'work.json'), 'null');
    expectRecomputed(dir, []);
    const verify = recon(dir, 'verify');
    expect(verify.code).toBe(0);
  });

  test('stray files in objects', () => {
    const { dir } = clone();
    writeFileSync(join(dir, 'cache', 'objects', 'junk.txt'), 'x');
    const verify = recon(dir, 'verify');
    expectNoCrash(verify);
    expect(verify.stdout).toContain(`stray file ${join(dir, 'cache', 'objects', 'junk.txt')} in objects/ (removed)`);
    expect(verify.code).toBe(1);
    expectVerifyClean(dir);
  });
});
