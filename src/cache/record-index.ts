/**
 * A per-pipeline index of the run records its instances last used, in one file, so that a no-op
 * run reads one file instead of one record per instance. Records are immutable per key, so an
 * entry stays valid until its record is removed, and verify and gc delete the whole index then.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../canonical-json.js';
import { manifestHash } from '../hashing.js';
import { writeAtomic, type LocalStore } from './local-store.js';
import { isCurrentRecord, RECORD_FORMAT, type RecordSummary, type RunRecord } from './run-record.js';

/** The file starts with this text, then the records JSON, then `}`. */
const HEAD = (runs: string, checksum: string): string => `{"format":${RECORD_FORMAT},"runs":${JSON.stringify(runs)},"checksum":"${checksum}","records":`;

/** A directory changed within this window of a fingerprint could change again in the same tick. */
const RACY_WINDOW_NS = 2_000_000_000n;

export class RecordIndex {
  private entries: Record<string, RecordSummary> = {};
  private readonly used = new Set<string>();
  /** Keys whose entries come from an index file with a valid checksum, so were checked when added. */
  private readonly sealed = new Set<string>();
  /** True when runs/ is unchanged since the index was saved, so every entry's record file exists. */
  private readonly runsUnchanged: boolean;
  private dirty = false;

  constructor(
    private readonly store: LocalStore,
    private readonly pipeline: string,
  ) {
    const runs = runsFingerprint(store);
    let text = '';
    try {
      text = readFileSync(this.path(), 'utf8');
      const file = JSON.parse(text) as { format?: unknown; runs?: unknown; checksum?: unknown; records?: unknown };
      if (file.format === RECORD_FORMAT && typeof file.records === 'object' && file.records !== null && !Array.isArray(file.records)) {
        this.entries = file.records as Record<string, RecordSummary>;
        if (isSealed(text, file)) for (const key in this.entries) this.sealed.add(key);
      }
      this.runsUnchanged = runs !== undefined && file.runs === runs && this.sealed.size > 0;
    } catch {
      // No index yet, or a damaged one: records are read one by one and the index rebuilt.
      this.runsUnchanged = false;
    }
    // An index whose runs/ fingerprint did not match is rewritten at save() with a fresh one, so
    // that the next run can rely on it. Without entries there is nothing to rewrite.
    if (!this.runsUnchanged && Object.keys(this.entries).length > 0) this.dirty = true;
  }

  private path(): string {
    return join(this.store.root, 'index', `${this.pipeline}.json`);
  }

  /** Returns the record of `key` from the index, else from its file; `outdated` for older formats. */
  get(key: string): RecordSummary | { outdated: unknown } | undefined {
    const entry = Object.prototype.hasOwnProperty.call(this.entries, key) ? this.entries[key] : undefined;
    // Records leave the cache only through verify and gc, which drop the index. So a well-formed
    // entry is trusted without reading its record file, and the caller still checks its outputs.
    if (entry !== undefined && (this.sealed.has(key) || (isCurrentRecord(entry) && entry.key === key))) {
      this.used.add(key);
      return entry;
    }
    const record = this.store.readRecord(key);
    if (record !== undefined && !('outdated' in record) && manifestHash(record.outputs) === record.manifestHash) this.add(record);
    return record;
  }

  /**
   * Returns what makes a record from get() unusable, or undefined: a manifest hash that disagrees
   * with its outputs (an entry that lies), or a record file that is gone.
   */
  problem(record: RecordSummary): string | undefined {
    let problem: string | undefined;
    if (!this.sealed.has(record.key) && manifestHash(record.outputs) !== record.manifestHash) problem = `the run record of ${record.key.slice(0, 12)}`;
    else if (!this.runsUnchanged && !fileExists(this.store.recordPath(record.key))) problem = `runs/${record.key}.json`;
    if (problem !== undefined) {
      // Unless the instance runs again and add() replaces it, the entry must not be saved.
      delete this.entries[record.key];
      this.used.delete(record.key);
      this.sealed.delete(record.key);
      this.dirty = true;
    }
    return problem;
  }

  /** Adds a record written or read during this run; its manifest hash must match its outputs. */
  add(record: RunRecord | RecordSummary): void {
    const { keyInputs: _keyInputs, warnings: _warnings, ...summary } = record as RunRecord;
    this.entries[record.key] = summary;
    this.sealed.delete(record.key);
    this.used.add(record.key);
    this.dirty = true;
  }

  /**
   * Writes the index with the entries used in this run, a checksum of them and the fingerprint of
   * runs/; call only while holding the lock, after the run's last record is written.
   */
  save(): void {
    if (!this.dirty && this.used.size === Object.keys(this.entries).length) return;
    const records: Record<string, RecordSummary> = {};
    for (const key of this.used) records[key] = this.entries[key];
    const body = JSON.stringify(records);
    writeAtomic(this.path(), `${HEAD(runsFingerprint(this.store) ?? '', sha256Hex(body))}${body}}`);
    this.dirty = false;
  }
}

/** True when the records text in `text` matches the checksum in its header, so it is as save() wrote it. */
function isSealed(text: string, file: { runs?: unknown; checksum?: unknown }): boolean {
  if (typeof file.runs !== 'string' || typeof file.checksum !== 'string') return false;
  const head = HEAD(file.runs, file.checksum);
  if (!text.startsWith(head) || !text.endsWith('}')) return false;
  return sha256Hex(text.slice(head.length, -1)) === file.checksum;
}

/**
 * Identifies the state of runs/ by its inode, mtime and ctime, which change whenever a record is
 * added or removed. Undefined when runs/ changed too recently to tell a later change apart.
 */
function runsFingerprint(store: LocalStore): string | undefined {
  let stat;
  try {
    stat = statSync(join(store.root, 'runs'), { bigint: true });
  } catch {
    return undefined;
  }
  const changed = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
  if (BigInt(Date.now()) * 1_000_000n - changed <= RACY_WINDOW_NS) return undefined;
  return `${stat.ino}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

function fileExists(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Deletes every pipeline's index, after records were removed. */
export function dropIndexes(store: LocalStore): void {
  rmSync(join(store.root, 'index'), { recursive: true, force: true });
}
