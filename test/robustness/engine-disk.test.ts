/**
 * A cache that cannot be written: a full file system (a tiny tmpfs), a read-only one, and an
 * immutable runs/ directory. A failed write must become a StorageError (exit code 2) naming the
 * path, and no run record may point at a missing or partial object.
 *
 * Tests run as root, which ignores permission bits, so the cases need `mount -t tmpfs` and
 * `chattr +i`; without them they are skipped with a message saying so.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { copyProject, hashTree, recon, setRound, summaryOf, type CliResult } from '../fixtures/robustness/pipelines/harness.js';

const mounts: string[] = [];

/** Mounts a tmpfs of `size` (for example `64k`) on a new directory; undefined when not permitted. */
function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'recon-tmpfs-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

function unmount(dir: string): void {
  spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

afterAll(() => {
  for (const dir of mounts) unmount(dir);
});

function chattr(flag: '+i' | '-i', path: string): boolean {
  return spawnSync('chattr', [flag, path]).status === 0;
}

const probe = mountTmpfs('64k');
const canMount = probe !== undefined;
const canChattr = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'recon-chattr-'));
  const ok = chattr('+i', dir) && chattr('-i', dir);
  rmSync(dir, { recursive: true, force: true });
  return ok;
})();
if (!canMount) console.warn('engine-disk: skipping the tmpfs cases, because `mount -t tmpfs` is not permitted here');
if (!canChattr) console.warn('engine-disk: skipping the immutable-directory case, because `chattr +i` is not supported here');

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Checks that every record in `cacheDir` names complete objects; returns how many records there are. */
function expectRecordsComplete(cacheDir: string): number {
  const runs = join(cacheDir, 'runs');
  const files = existsSync(runs) ? readdirSync(runs).filter((name) => name.endsWith('.json')) : [];
  for (const file of files) {
    const record = JSON.parse(readFileSync(join(runs, file), 'utf8')) as { outputs: Record<string, { hash: string; size: number }> };
    for (const [path, entry] of Object.entries(record.outputs)) {
      const object = join(cacheDir, 'objects', entry.hash.slice(0, 2), entry.hash.slice(2));
      expect(existsSync(object), `${file}: ${path}`).toBe(true);
      expect(sha256(object), `${file}: ${path}`).toBe(entry.hash);
    }
  }
  return files.length;
}

function expectStorageError(result: CliResult, path: string, reason: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(new RegExp(`Cannot write ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*: ${reason}`));
  expect(result.stderr).toContain('hint: free space on that device or make the directory writable, or pass --cache-dir DIR');
  expect(result.stderr).not.toContain('Internal error');
}

const run = (dir: string, cacheDir: string): CliResult => recon(dir, 'run', 'pipeline.yaml', '--jobs', '2', '--cache-dir', cacheDir);

describe.skipIf(!canMount)('full file system', () => {
  test('full at several points of a run', () => {
    const clean = copyProject('work');
    expect(run(clean, 'cache').code).toBe(0);
    const expected = hashTree(join(clean, 'artifacts'));
    const dir = copyProject('work');
    // The objects of a whole run take 636 KB by `du -sk` (4 KB blocks), so each size fills up at another point.
    for (const size of ['64k', '160k', '256k', '352k']) {
      const mount = mountTmpfs(size)!;
      const cacheDir = join(mount, 'cache');
      const result = run(dir, cacheDir);
      expectStorageError(result, mount, 'no space left on the device \\(ENOSPC\\)');
      expectRecordsComplete(cacheDir);
      // The same cache on a roomy disk finishes the run and reuses what was stored.
      const moved = join(dir, `cache-${size}`);
      cpSync(cacheDir, moved, { recursive: true });
      const rerun = recon(dir, 'run', 'pipeline.yaml', '--cache-dir', moved, '--json');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(summaryOf(rerun).failed).toBe(0);
      expect(hashTree(join(dir, 'artifacts'))).toEqual(expected);
      expect(recon(dir, 'verify', '--cache-dir', moved).code).toBe(0);
      unmount(mount);
      mounts.splice(mounts.indexOf(mount), 1);
    }
  });

  test('no room for the lock file', () => {
    const dir = copyProject('work');
    const mount = probe!;
    // Fill the file system to the last byte.
    const filler = join(mount, 'filler');
    const chunk = Buffer.alloc(4096, 1);
    try {
      for (;;) writeFileSync(filler, chunk, { flag: 'a' });
    } catch {
      // ENOSPC: full.
    }
    const result = run(dir, mount);
    expectStorageError(result, join(mount, 'lock'), 'no space left on the device \\(ENOSPC\\)');
    expect(existsSync(join(mount, 'lock'))).toBe(false);
  });

  test('full artifacts directory', () => {
    const dir = copyProject('work');
    const mount = mountTmpfs('64k')!;
    const result = recon(dir, 'run', 'pipeline.yaml', '--jobs', '2', '--artifacts-dir', mount);
    expectStorageError(result, join(mount, 'work'), 'no space left on the device \\(ENOSPC\\)');
    // The cache is on a roomy disk: its records are complete, and a run elsewhere reuses them.
    expectRecordsComplete(join(dir, 'cache'));
    const rerun = recon(dir, 'run', 'pipeline.yaml', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(summaryOf(rerun).failed).toBe(0);
  });

  test('read-only file system', () => {
    const dir = copyProject('work');
    const mount = mountTmpfs('2m')!;
    expect(run(dir, mount).code).toBe(0);
    const before = hashTree(mount);
    expect(spawnSync('mount', ['-o', 'remount,ro', mount]).status).toBe(0);
    setRound(dir, 1);
    const result = run(dir, mount);
    expectStorageError(result, join(mount, 'lock'), 'the file system is read-only \\(EROFS\\)');
    expect(hashTree(mount)).toEqual(before);
  });
});

describe.skipIf(!canChattr)('immutable directory', () => {
  test('runs/ cannot take records', () => {
    const dir = copyProject('work');
    expect(run(dir, 'cache').code).toBe(0);
    setRound(dir, 1);
    const runs = join(dir, 'cache', 'runs');
    const before = readdirSync(runs).sort();
    expect(chattr('+i', runs)).toBe(true);
    try {
      const result = run(dir, 'cache');
      expectStorageError(result, join(dir, 'cache', 'runs'), 'the operation is not permitted');
      expect(readdirSync(runs).sort()).toEqual(before);
    } finally {
      chattr('-i', runs);
    }
    expect(expectRecordsComplete(join(dir, 'cache'))).toBe(before.length);
    const rerun = recon(dir, 'run', 'pipeline.yaml', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(recon(dir, 'verify').code).toBe(0);
  });

  test('cache directory cannot be created', () => {
    const dir = copyProject('work');
    const parent = join(dir, 'locked');
    mkdirSync(parent);
    expect(chattr('+i', parent)).toBe(true);
    try {
      const result = run(dir, join(parent, 'cache'));
      expectStorageError(result, join(parent, 'cache'), 'the operation is not permitted');
    } finally {
      chattr('-i', parent);
    }
  });
});
