/**
 * One process at a time per cache directory. `cache/lock` contains the pid, hostname, command and
 * start time of its holder. It is written to a temp file first and then hard-linked into place,
 * so the lock file is complete from the moment it exists. A lock whose process has died on this
 * host, and an empty or damaged lock file, is taken over with a message.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { guardWrite } from './cache/local-store.js';
import { InputError } from './errors.js';
import type { EventSink, LockHolder } from './event.js';

export interface LockOptions {
  /** Seconds to wait for another holder to finish; 0 fails at once. */
  waitSeconds: number;
  command: string;
  emit: EventSink;
}

/** Holder shown for a lock file that cannot be parsed. */
const DAMAGED: Omit<LockHolder, 'hostname'> = { pid: 0, command: 'unknown: the lock file is empty or damaged', startedAt: 'unknown' };

/** Acquires the lock of `cacheDir`; returns a function that releases it. */
export async function acquireLock(cacheDir: string, options: LockOptions): Promise<() => void> {
  guardWrite(cacheDir, () => mkdirSync(cacheDir, { recursive: true }));
  const path = join(cacheDir, 'lock');
  const me: LockHolder = { pid: process.pid, hostname: hostname(), command: options.command, startedAt: new Date().toISOString() };
  const deadline = Date.now() + options.waitSeconds * 1000;
  let announced = false;
  for (;;) {
    if (tryCreate(path, me)) return () => release(path);
    const seen = readHolder(path);
    if (seen === undefined) continue;
    const { holder, ino } = seen;
    if (holder.hostname === me.hostname && !isAlive(holder.pid)) {
      if (takeOver(path, ino)) options.emit({ type: 'lock-taken-over', holder });
      else await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (Date.now() >= deadline) {
      throw new InputError(
        `Cache ${cacheDir} is locked by pid ${holder.pid} on ${holder.hostname} (${holder.command}, since ${holder.startedAt}).`,
        { value: path, hint: 'wait for that run to finish, or pass --wait SECONDS to wait for it' },
      );
    }
    if (!announced) options.emit({ type: 'lock-wait', holder });
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Creates the lock with its contents in one step; false when another process holds it. */
function tryCreate(path: string, holder: LockHolder): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  return guardWrite(path, () => {
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, JSON.stringify(holder));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  });
}

/** Returns the holder and the lock's inode, or undefined when the lock vanished. */
function readHolder(path: string): { holder: LockHolder; ino: number } | undefined {
  let text: string;
  let ino: number;
  try {
    ino = statSync(path).ino;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const holder = value as Partial<LockHolder> | undefined;
  const valid = typeof holder === 'object' && holder !== null && Number.isSafeInteger(holder.pid) && typeof holder.hostname === 'string';
  if (!valid) return { holder: { ...DAMAGED, hostname: hostname() }, ino };
  return { holder: { pid: holder.pid!, hostname: holder.hostname!, command: String(holder.command), startedAt: String(holder.startedAt) }, ino };
}

/**
 * Removes the stale lock with inode `ino`, unless another process replaced it meanwhile. Two
 * processes may judge the same lock stale, so the check and the removal happen under a second,
 * short-lived lock file. Returns true when this call removed the stale lock.
 */
function takeOver(path: string, ino: number): boolean {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard, { pid: process.pid, hostname: hostname(), command: 'lock take-over', startedAt: new Date().toISOString() })) {
    // The guard is held for microseconds; one older than this was left by a process that died.
    if (Date.now() - (statOrUndefined(guard)?.mtimeMs ?? Date.now()) > 10_000) rmSync(guard, { force: true });
    return false;
  }
  try {
    if (statOrUndefined(path)?.ino !== ino) return false;
    rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

function statOrUndefined(path: string): { ino: number; mtimeMs: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function release(path: string): void {
  try {
    if ((JSON.parse(readFileSync(path, 'utf8')) as LockHolder).pid === process.pid) rmSync(path, { force: true });
  } catch {
    // Already gone: nothing to release.
  }
}
