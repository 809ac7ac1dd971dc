/**
 * One process at a time per cache directory. `cache/lock`, created with O_EXCL, contains the pid,
 * hostname, command and start time of its holder. A lock whose process has died on this host is
 * taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from './errors.js';
import type { EventSink, LockHolder } from './event.js';

export interface LockOptions {
  /** Seconds to wait for another holder to finish; 0 fails at once. */
  waitSeconds: number;
  command: string;
  emit: EventSink;
}

/** Acquires the lock of `cacheDir`; returns a function that releases it. */
export async function acquireLock(cacheDir: string, options: LockOptions): Promise<() => void> {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, 'lock');
  const me: LockHolder = { pid: process.pid, hostname: hostname(), command: options.command, startedAt: new Date().toISOString() };
  const deadline = Date.now() + options.waitSeconds * 1000;
  let announced = false;
  for (;;) {
    if (tryCreate(path, me)) return () => release(path);
    const holder = readHolder(path);
    if (holder === undefined) continue;
    if (holder.hostname === me.hostname && !isAlive(holder.pid)) {
      options.emit({ type: 'lock-taken-over', holder });
      unlinkSync(path);
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

function tryCreate(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeSync(fd, JSON.stringify(holder));
  closeSync(fd);
  return true;
}

/** Returns the holder, or undefined when the lock vanished or is being written right now. */
function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A holder that died between creating and writing the file leaves it empty.
    return { pid: -1, hostname: hostname(), command: 'unknown', startedAt: 'unknown' };
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
    if ((JSON.parse(readFileSync(path, 'utf8')) as LockHolder).pid === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}
