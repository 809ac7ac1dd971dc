/**
 * A per-pipeline index of the run records its instances last used, in one file, so that a no-op
 * run reads one file instead of one record per instance. Records are immutable per key, so an
 * entry stays valid until its record is removed, and verify and gc delete the whole index then.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic, type LocalStore } from './local-store.js';
import { isCurrentRecord, RECORD_FORMAT, type RecordSummary, type RunRecord } from './run-record.js';

interface IndexFile {
  format: number;
  records: Record<string, RecordSummary>;
}

export class RecordIndex {
  private readonly entries: Record<string, RecordSummary>;
  private readonly used = new Set<string>();
  private dirty = false;

  constructor(
    private readonly store: LocalStore,
    private readonly pipeline: string,
  ) {
    this.entries = {};
    try {
      const file = JSON.parse(readFileSync(this.path(), 'utf8')) as IndexFile;
      if (file.format === RECORD_FORMAT && typeof file.records === 'object' && file.records !== null) this.entries = file.records;
    } catch {
      // No index yet, or a damaged one: records are read one by one and the index rebuilt.
    }
  }

  private path(): string {
    return join(this.store.root, 'index', `${this.pipeline}.json`);
  }

  /** Returns the record of `key` from the index, else from its file; `outdated` for older formats. */
  get(key: string): RecordSummary | { outdated: unknown } | undefined {
    const entry = Object.prototype.hasOwnProperty.call(this.entries, key) ? this.entries[key] : undefined;
    // Records leave the cache only through verify and gc, which drop the index. So a well-formed
    // entry is trusted without reading its record file, and the caller still checks its outputs.
    if (entry !== undefined && isCurrentRecord(entry) && entry.key === key) {
      this.used.add(key);
      return entry;
    }
    const record = this.store.readRecord(key);
    if (record !== undefined && !('outdated' in record)) this.add(record);
    return record;
  }

  /** Adds a record written or read during this run. */
  add(record: RunRecord | RecordSummary): void {
    const { keyInputs: _keyInputs, warnings: _warnings, ...summary } = record as RunRecord;
    this.entries[record.key] = summary;
    this.used.add(record.key);
    this.dirty = true;
  }

  /** Writes the index with the entries used in this run; call only while holding the lock. */
  save(): void {
    if (!this.dirty && this.used.size === Object.keys(this.entries).length) return;
    const records: Record<string, RecordSummary> = {};
    for (const key of this.used) records[key] = this.entries[key];
    writeAtomic(this.path(), JSON.stringify({ format: RECORD_FORMAT, records } satisfies IndexFile));
    this.dirty = false;
  }
}

/** Deletes every pipeline's index, after records were removed. */
export function dropIndexes(store: LocalStore): void {
  rmSync(join(store.root, 'index'), { recursive: true, force: true });
}
