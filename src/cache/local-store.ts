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
  chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, mkdtempSync, openSync,
  readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isCurrentRecord, type RecordSummary, type RunRecord } from './run-record.js';
import type { Store } from './store.js';

export class LocalStore implements Store {
  readonly root: string;

  /** `root` may be relative; it is resolved once so that paths stay valid in any working directory. */
  constructor(root: string) {
    this.root = resolve(root);
  }

  objectPath(hash: string): string {
    return join(this.root, 'objects', hash.slice(0, 2), hash.slice(2));
  }

  hasObject(hash: string): boolean {
    return existsSync(this.objectPath(hash));
  }

  putFile(path: string): { hash: string; size: number } {
    const { hash, size } = hashAndSync(path);
    const target = this.objectPath(hash);
    if (existsSync(target)) {
      unlinkSync(path);
    } else {
      mkdirSync(dirname(target), { recursive: true });
      chmodSync(path, 0o444);
      renameSync(path, target);
    }
    return { hash, size };
  }

  readRecord(key: string): RunRecord | { outdated: unknown } | undefined {
    let text: string;
    try {
      text = readFileSync(this.recordPath(key), 'utf8');
    } catch {
      return undefined;
    }
    const value = JSON.parse(text) as unknown;
    return isCurrentRecord(value) ? value : { outdated: value };
  }

  writeRecord(record: RunRecord): void {
    writeAtomic(this.recordPath(record.key), JSON.stringify(record, null, 1));
  }

  recordPath(key: string): string {
    return join(this.root, 'runs', `${key}.json`);
  }

  outputDir(record: { key: string }): string {
    return join(this.root, 'out', record.key);
  }

  /**
   * Makes sure every output of `record` is present in its output directory, relinking it from the
   * objects. Returns the first output whose object is missing, or undefined when all are present.
   */
  materialize(record: RecordSummary): string | undefined {
    const dir = this.outputDir(record);
    for (const [path, entry] of Object.entries(record.outputs)) {
      const target = join(dir, path);
      if (existsSync(target)) continue;
      const object = this.objectPath(entry.hash);
      if (!existsSync(object)) return path;
      mkdirSync(dirname(target), { recursive: true });
      try {
        linkSync(object, target);
      } catch {
        copyFileSync(object, target);
      }
    }
    return undefined;
  }

  makeTempDir(label: string): string {
    const base = join(this.root, 'tmp');
    mkdirSync(base, { recursive: true });
    return mkdtempSync(join(base, `${label.replace(/[^\w.-]+/g, '_').slice(0, 60)}-`));
  }

  /** Removes leftovers of interrupted runs; call only while holding the lock. */
  clearTemp(): void {
    rmSync(join(this.root, 'tmp'), { recursive: true, force: true });
  }

  /** Size of a file in the cache, or undefined. */
  sizeOf(path: string): number | undefined {
    try {
      return statSync(path).size;
    } catch {
      return undefined;
    }
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

/** Writes a file by temp file + fsync + rename. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
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
