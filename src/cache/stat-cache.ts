/**
 * File hashes keyed by path, reused while a file's size, inode, mtime and ctime are unchanged.
 * Content hashes stay the only truth: the stat only decides whether a file must be re-read.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync, type BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import { sha256Hex, type ContentHash } from '../canonical-json.js';
import { guardWrite } from './local-store.js';

/** size, inode, mtime ns, ctime ns, content hash, relative imports (for source files). */
type Entry = [string, string, string, string, string, string[]?];

/**
 * A file modified, linked or unlinked within this window of its hashing could change again unseen
 * in the same timestamp tick, so its entry is not stored.
 */
const RACY_WINDOW_NS = 2_000_000_000n;

export class StatCache {
  private entries: Record<string, unknown> = {};
  private dirty = false;

  constructor(private readonly file: string) {
    try {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      // Entries are checked one by one when looked up, so a no-op run checks only those it uses.
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) this.entries = value as Record<string, unknown>;
    } catch {
      // Missing or damaged: every file is hashed again, which is slower but never wrong.
      this.entries = {};
    }
  }

  /**
   * Returns the stored hash of `path` when `stat` matches its entry (size, inode, mtime, ctime).
   * `stat` may come from a hard link to `path`: an equal inode and ctime mean the same unchanged file.
   */
  cachedHash(path: string, stat: BigIntStats): ContentHash | undefined {
    const entry = validEntry(this.entries[path]);
    if (entry === undefined || !matches(entry, stat)) return undefined;
    return entry[4] as ContentHash;
  }

  /** Returns the content hash of `path` and, when `scan` is given, the imports it finds. */
  hashFile(path: string, scan?: (text: string) => string[]): { hash: ContentHash; imports: string[] } {
    const stat = statSync(path, { bigint: true });
    const cached = validEntry(this.entries[path]);
    if (cached !== undefined && matches(cached, stat) && (scan === undefined || cached[5] !== undefined)) {
      return { hash: cached[4] as ContentHash, imports: cached[5] ?? [] };
    }
    const bytes = readFileSync(path);
    const hash = sha256Hex(bytes) as ContentHash;
    const imports = scan ? scan(bytes.toString('utf8')) : [];
    const now = BigInt(Date.now()) * 1_000_000n;
    const changed = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
    if (now - changed > RACY_WINDOW_NS) {
      const fingerprint = [String(stat.size), String(stat.ino), String(stat.mtimeNs), String(stat.ctimeNs)];
      this.entries[path] = [...fingerprint, hash, ...(scan ? [imports] : [])] as Entry;
      this.dirty = true;
    }
    return { hash, imports };
  }

  /**
   * Writes the cache file if it changed (temp file + rename). The temp name has the pid because
   * `status` and `explain` save without holding the cache lock.
   */
  save(): void {
    if (!this.dirty) return;
    const temp = `${this.file}.${process.pid}.tmp`;
    guardWrite(this.file, () => {
      mkdirSync(dirname(this.file), { recursive: true });
      try {
        writeFileSync(temp, JSON.stringify(this.entries));
        renameSync(temp, this.file);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
    });
    this.dirty = false;
  }
}

/** Returns `value` when it is a well-formed entry, else undefined (a damaged entry is ignored). */
function validEntry(value: unknown): Entry | undefined {
  if (!Array.isArray(value) || value.length < 5) return undefined;
  for (let i = 0; i < 5; i++) if (typeof value[i] !== 'string') return undefined;
  const imports: unknown = value[5];
  if (imports !== undefined && !(Array.isArray(imports) && imports.every((item) => typeof item === 'string'))) return undefined;
  return value as Entry;
}

/** Compares without building a fingerprint array: this runs once per object on a no-op run. */
function matches(entry: Entry, stat: BigIntStats): boolean {
  return entry[2] === String(stat.mtimeNs) && entry[3] === String(stat.ctimeNs) && entry[1] === String(stat.ino) && entry[0] === String(stat.size);
}
