/**
 * Cache directory layout:
 *   objects/<aa>/<rest>   immutable files named by their SHA-256 (read-only)
 *   runs/<key>.json       run records, written last
 *   out/<key>/<path>      hard links to objects under their output names, so stages read inputs
 *                         with their real file names and relative layout
 *   tmp/                  per-run temporary directories, emptied when the lock is taken
 *   logs/                 logs of failed instances
 *   heads/<pipeline>.json last key per instance id, for explain and gc
 */
import { createHash } from 'node:crypto';
import {
  chmodSync, closeSync, copyFileSync, fsyncSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync,
  readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, type BigIntStats, type Stats,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { manifestHash } from '../hashing.js';
import { isCurrentRecord, RECORD_FORMAT, type RecordSummary, type RunRecord } from './run-record.js';
import type { StatCache } from './stat-cache.js';
import type { Store } from './store.js';

export class LocalStore implements Store {
  readonly root: string;

  /** `root` may be relative; it is resolved once so that paths stay valid in any working directory. */
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Built by concatenation because no-op runs call it once per output; `root` is already normalized. */
  objectPath(hash: string): string {
    return `${this.root}${sep}objects${sep}${hash.slice(0, 2)}${sep}${hash.slice(2)}`;
  }

  hasObject(hash: string): boolean {
    return statOrUndefined(this.objectPath(hash))?.isFile() === true;
  }

  /**
   * Moves a finished file into the store. An existing object of the same hash is replaced rather
   * than trusted, because it may be the damaged copy that made this instance rerun.
   */
  putFile(path: string): { hash: string; size: number } {
    const { hash, size } = hashAndSync(path);
    const target = this.objectPath(hash);
    guardWrite(target, () => {
      mkdirSync(dirname(target), { recursive: true });
      chmodSync(path, 0o444);
      renameSync(path, target);
    });
    return { hash, size };
  }

  /** Returns the record of `key`; undefined when it is missing, unreadable or not the record of `key`. */
  readRecord(key: string): RunRecord | { outdated: unknown } | undefined {
    const result = this.inspectRecord(key);
    return 'problem' in result ? undefined : result.record;
  }

  /** Reads the record of `key`, or returns the reason it cannot be used, for `verify`. */
  inspectRecord(key: string): { record: RunRecord | { outdated: unknown } } | { problem: string } {
    let text: string;
    try {
      text = readFileSync(this.recordPath(key), 'utf8');
    } catch (error) {
      return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${(error as Error).message})` };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { problem: text.length === 0 ? 'empty' : 'not valid JSON (truncated or damaged)' };
    }
    if (isCurrentRecord(value)) return value.key === key ? { record: value } : { problem: `names key ${value.key.slice(0, 12)}, not its own` };
    const format = (value as { format?: unknown } | null)?.format;
    if (typeof format === 'number' && format !== RECORD_FORMAT) return { record: { outdated: value } };
    return { problem: 'not a run record of the current format (damaged)' };
  }

  writeRecord(record: RunRecord): void {
    writeAtomic(this.recordPath(record.key), JSON.stringify(record, null, 1));
  }

  recordPath(key: string): string {
    return join(this.root, 'runs', `${key}.json`);
  }

  outputDir(record: { key: string }): string {
    return `${this.root}${sep}out${sep}${record.key}`;
  }

  /**
   * Makes sure every output of `record` is present in its output directory as a link to its
   * object. Returns the first output whose object is missing, or damaged when `stats` is given to
   * check contents (re-hashing only files whose stat changed), or undefined when all are intact.
   * A summary whose manifest hash disagrees with its outputs counts as missing its record.
   */
  materialize(record: RecordSummary, stats?: StatCache): string | undefined {
    if (manifestHash(record.outputs) !== record.manifestHash) return `the run record of ${record.key.slice(0, 12)}`;
    const dir = this.outputDir(record);
    for (const path in record.outputs) {
      if (!this.materializeOutput(record.outputs[path].hash, record.outputs[path].size, `${dir}/${path}`, stats)) return path;
    }
    return undefined;
  }

  /**
   * Checks the outputs of a run record that planning found, relinking views as needed, and returns
   * the first output that is missing or damaged. The caller has checked the record's manifest.
   * A no-op run makes one lstat per output. A view whose stat equals the stat cache's entry for
   * its object is a hard link to that object, unchanged since it was hashed. Writing, linking,
   * unlinking and renaming a file all change its ctime. Other views go the long way.
   * NOTE: renaming a whole objects/<aa>/ directory leaves the ctimes alone; verify finds that.
   */
  checkOutputs(record: RecordSummary, stats: StatCache): string | undefined {
    const dir = this.outputDir(record);
    for (const path in record.outputs) {
      const { hash, size } = record.outputs[path];
      const view = `${dir}/${path}`;
      const viewStat = lstatOrUndefined(view, true);
      if (viewStat !== undefined && stats.cachedHash(this.objectPath(hash), viewStat) === hash) continue;
      if (!this.materializeOutput(hash, size, view, stats)) return path;
    }
    return undefined;
  }

  /** Links `view` to the object `hash`; false when the object is missing, or damaged when `stats` is given. */
  private materializeOutput(hash: string, size: number, view: string, stats: StatCache | undefined): boolean {
    const object = this.objectPath(hash);
    const objectStat = statOrUndefined(object);
    if (objectStat === undefined || !objectStat.isFile() || objectStat.size !== size) return false;
    if (stats !== undefined && stats.hashFile(object).hash !== hash) return false;
    this.link(object, objectStat, view);
    return true;
  }

  /** Links `view` to `object` unless it already is that file. */
  private link(object: string, objectStat: Stats, view: string): void {
    const viewStat = lstatOrUndefined(view);
    if (viewStat !== undefined && viewStat.ino === objectStat.ino && viewStat.dev === objectStat.dev) return;
    guardWrite(view, () => {
      if (viewStat !== undefined) rmSync(view, { recursive: true, force: true });
      mkdirSync(dirname(view), { recursive: true });
      try {
        linkSync(object, view);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Another process linked it first: same content, nothing to do.
        if (code === 'EEXIST') return;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
        // Never copy into an existing path: it may be a link that shares the object's inode.
        const temp = `${view}.tmp`;
        copyFileSync(object, temp);
        renameSync(temp, view);
      }
    });
  }

  makeTempDir(label: string): string {
    const base = join(this.root, 'tmp');
    return guardWrite(base, () => {
      mkdirSync(base, { recursive: true });
      return mkdtempSync(join(base, `${label.replace(/[^\w.-]+/g, '_').slice(0, 60)}-`));
    });
  }

  /** Removes leftovers of interrupted runs; call only while holding the lock. */
  clearTemp(): void {
    const dir = join(this.root, 'tmp');
    guardWrite(dir, () => rmSync(dir, { recursive: true, force: true }));
  }

  /** Size of a file in the cache, or undefined. */
  sizeOf(path: string): number | undefined {
    return statOrUndefined(path)?.size;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(path: string): Stats | undefined;
function lstatOrUndefined(path: string, bigint: true): BigIntStats | undefined;
function lstatOrUndefined(path: string, bigint = false): Stats | BigIntStats | undefined {
  try {
    // throwIfNoEntry: false avoids building an exception for the common missing-file case.
    return lstatSync(path, { bigint, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

const STORAGE_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted (the file or directory may be immutable)',
};

/** A cache or artifacts write that failed for lack of space or permission. Exit code 2, like bad input. */
export class StorageError extends InputError {
  constructor(path: string, code: string) {
    super(`Cannot write ${path}: ${STORAGE_REASONS[code] ?? code} (${code}).`, {
      value: path,
      hint: 'free space on that device or make the directory writable, or pass --cache-dir DIR (or --artifacts-dir DIR) to use another one',
    });
    this.name = 'StorageError';
  }
}

/** True when `error` is a storage failure (no space, read-only, no permission). */
export function isStorageFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code in STORAGE_REASONS;
}

/** Runs a write; a storage failure becomes a StorageError naming `path`. */
export function guardWrite<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isStorageFailure(error)) throw new StorageError(path, (error as NodeJS.ErrnoException).code!);
    throw error;
  }
}

/** Hashes a file in 1 MiB chunks and fsyncs it, so a rename publishes complete contents. */
export function hashAndSync(path: string): { hash: string; size: number } {
  const hasher = createHash('sha256');
  const fd = openSync(path, 'r+');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let size = 0;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      hasher.update(buffer.subarray(0, n));
      size += n;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { hash: hasher.digest('hex'), size };
}

/**
 * Writes a file by temp file + fsync + rename, so readers see the old or the new contents. The
 * temp name is fixed (`<path>.tmp`), so a write after a crash reuses what the crash left behind;
 * callers therefore hold the cache lock.
 */
export function writeAtomic(path: string, text: string): void {
  const temp = `${path}.tmp`;
  guardWrite(path, () => {
    mkdirSync(dirname(path), { recursive: true });
    try {
      const fd = openSync(temp, 'w');
      try {
        writeFileSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  });
}

/** Hashes a file's contents without syncing it (for verification). */
export function hashAndRead(path: string): string {
  const hasher = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hasher.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hasher.digest('hex');
}
