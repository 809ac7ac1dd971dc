/**
 * A local cache directory backed by a shared S3 bucket. Runs pull the records and output objects
 * of the instances they need, checking every object against its hash, and push what they computed:
 * objects first and the record last, so a reader never finds a record whose objects are missing.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { LocalStore } from './local-store.js';
import { isCurrentRecord, type RunRecord } from './run-record.js';
import { S3Bucket, type Download } from './remote-s3.js';

export interface RemoteOptions {
  /** `s3://bucket/prefix`. */
  url: string;
  /** URL of the S3-compatible service. */
  endpoint?: string;
  /** Read, never write: for jobs that must not change the shared cache. */
  readOnly: boolean;
}

export type PullOutcome =
  | { status: 'local' | 'pulled' | 'missing' }
  | { status: 'corrupt'; hash: string };

/** Requests to the bucket that run at the same time, per process. */
const CONCURRENT_REQUESTS = 8;

export class RemoteCache {
  private readonly limit = pLimit(CONCURRENT_REQUESTS);
  /** Objects found corrupt in the bucket: pushed again even though the bucket has them. */
  private readonly corrupt = new Set<string>();
  /** Objects known to be in the bucket, so each is checked at most once per process. */
  private readonly present = new Set<string>();

  private constructor(
    private readonly bucket: S3Bucket,
    private readonly store: LocalStore,
    private readonly tempDir: string,
    readonly readOnly: boolean,
  ) {}

  /** Opens the bucket; `tempDir` must be on the same file system as the store's objects. */
  static async open(options: RemoteOptions, store: LocalStore, tempDir: string): Promise<RemoteCache> {
    return new RemoteCache(await S3Bucket.open(options.url, options.endpoint), store, tempDir, options.readOnly);
  }

  /**
   * Makes the record of `key` and its output objects present in the local store. A record that
   * is missing, malformed or names a corrupt object is a miss: the instance runs again.
   */
  async pull(key: string): Promise<PullOutcome> {
    const local = this.store.readRecord(key);
    let record = local !== undefined && !('outdated' in local) ? local : undefined;
    const fromBucket = record === undefined;
    if (record === undefined) {
      const value = await this.limit(() => this.bucket.getRecord(key));
      if (!isCurrentRecord(value) || value.key !== key || !hasSafeOutputs(value)) return { status: 'missing' };
      record = value;
    }
    let fetched = false;
    for (const { hash } of Object.values(record.outputs)) {
      if (this.store.hasObject(hash)) continue;
      const result = await this.fetchObject(hash);
      if (result === 'corrupt') return { status: 'corrupt', hash };
      if (result === 'missing') return { status: 'missing' };
      fetched = true;
    }
    // The log object stays in the bucket: a run needs outputs only, and a record without `log`
    // is complete for verify and gc.
    if (fromBucket) this.store.writeRecord({ ...record, log: undefined });
    return { status: fromBucket || fetched ? 'pulled' : 'local' };
  }

  /** Downloads object `hash` into the store unless it is there; checks it against its hash. */
  async fetchObject(hash: string): Promise<Download> {
    if (this.store.hasObject(hash)) return 'ok';
    mkdirSync(this.tempDir, { recursive: true });
    const temp = join(this.tempDir, `${hash.slice(0, 16)}-${randomUUID()}`);
    try {
      const result = await this.limit(() => this.bucket.download(hash, temp));
      if (result === 'corrupt') this.corrupt.add(hash);
      if (result === 'ok') this.store.putFile(temp);
      return result;
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** Uploads a record's objects that the bucket lacks, then the record. No-op when read-only. */
  async push(record: RunRecord): Promise<void> {
    if (this.readOnly) return;
    await this.pushObjects([...Object.values(record.outputs).map((entry) => entry.hash), ...(record.log ? [record.log] : [])]);
    await this.limit(() => this.bucket.uploadRecord(record.key, JSON.stringify(record, null, 1)));
  }

  /** Uploads the given local objects that are missing or known to be corrupt in the bucket. No-op when read-only. */
  async pushObjects(hashes: string[]): Promise<void> {
    if (this.readOnly) return;
    await Promise.all([...new Set(hashes)].map((hash) => this.limit(async () => {
      if (this.present.has(hash)) return;
      if (this.corrupt.has(hash) || !(await this.bucket.hasObject(hash))) {
        const path = this.store.objectPath(hash);
        await this.bucket.uploadObject(hash, path, statSync(path).size);
        this.corrupt.delete(hash);
      }
      this.present.add(hash);
    })));
  }

  close(): void {
    this.bucket.close();
  }
}

/**
 * Rejects records whose output paths could escape the output directory or whose hashes are not
 * SHA-256 hex: a bucket may be writable by others, so its records are not trusted blindly.
 */
function hasSafeOutputs(record: RunRecord): boolean {
  return Object.entries(record.outputs).every(([path, entry]) =>
    /^[0-9a-f]{64}$/.test(String(entry?.hash)) && path !== '' && !path.startsWith('/') && !path.includes('\\') && path.split('/').every((part) => part !== '..' && part !== '.' && part !== ''));
}
