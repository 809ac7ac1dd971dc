/**
 * File hashes keyed by path, reused while a file's size, inode, mtime and ctime are unchanged.
 * Content hashes stay the only truth: the stat only decides whether a file must be re-read.
 */
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256Hex, type ContentHash } from '../canonical-json.js';

/** size, inode, mtime ns, ctime ns, content hash, relative imports (for source files). */
type Entry = [string, string, string, string, string, string[]?];

/** A file modified within this window of its hashing could change again unseen in the same tick. */
const RACY_WINDOW_NS = 2_000_000_000n;

export class StatCache {
  private entries: Record<string, Entry> = {};
  private dirty = false;

  constructor(private readonly file: string) {
    try {
      this.entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>;
    } catch {
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

  /** Writes the cache file if it changed (temp file + rename). */
  save(): void {
    if (!this.dirty) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.entries));
    renameSync(temp, this.file);
    this.dirty = false;
  }
}
