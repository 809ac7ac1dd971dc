/**
 * File hashes keyed by path, reused while a file's size, inode, mtime and ctime are unchanged.
 * Content hashes stay the only truth: the stat only decides whether a file must be re-read.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256Hex, type ContentHash } from '../canonical-json.js';
import { guardWrite } from './local-store.js';

/** size, inode, mtime ns, ctime ns, content hash, relative imports (for source files). */
type Entry = [string, string, string, string, string, string[]?];

/** A file modified within this window of its hashing could change again unseen in the same tick. */
const RACY_WINDOW_NS = 2_000_000_000n;

export class StatCache {
  private entries: Record<string, Entry> = {};
  private dirty = false;

  constructor(private readonly file: string) {
    try {
      this.entries = validEntries(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      // Missing or damaged: every file is hashed again, which is slower but never wrong.
      this.entries = {};
    }
  }

  /** Returns the content hash of `path` and, when `scan` is given, the imports it finds. */
  hashFile(path: string, scan?: (text: string) => string[]): { hash: ContentHash; imports: string[] } {
    const stat = statSync(path, { bigint: true });
    const fingerprint = [String(stat.size), String(stat.ino), String(stat.mtimeNs), String(stat.ctimeNs)];
    const cached = this.entries[path];
    if (cached && fingerprint.every((part, i) => cached[i] === part) && (scan === undefined || cached[5] !== undefined)) {
      return { hash: cached[4] as ContentHash, imports: cached[5] ?? [] };
    }
    const bytes = readFileSync(path);
    const hash = sha256Hex(bytes) as ContentHash;
    const imports = scan ? scan(bytes.toString('utf8')) : [];
    const now = BigInt(Date.now()) * 1_000_000n;
    if (now - stat.mtimeNs > RACY_WINDOW_NS) {
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

/** Keeps the well-formed entries of a parsed cache file. */
function validEntries(value: unknown): Record<string, Entry> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const entries: Record<string, Entry> = {};
  for (const [path, entry] of Object.entries(value)) {
    if (!Array.isArray(entry) || entry.length < 5 || !entry.slice(0, 5).every((part) => typeof part === 'string')) continue;
    const imports: unknown = entry[5];
    if (imports !== undefined && !(Array.isArray(imports) && imports.every((item) => typeof item === 'string'))) continue;
    entries[path] = entry as Entry;
  }
  return entries;
}
