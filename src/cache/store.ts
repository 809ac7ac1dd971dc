/**
 * The content-addressed store behind the runner. The local implementation keeps everything under
 * one cache directory; a shared or S3-backed store implements the same interface.
 */
import type { RunRecord } from './run-record.js';

export interface Store {
  /** Root directory of the cache on this machine. */
  readonly root: string;
  /** Moves a finished file into the store (atomically) and returns its content hash and size. */
  putFile(path: string): { hash: string; size: number };
  /** Absolute path of an object, whether or not it exists. */
  objectPath(hash: string): string;
  hasObject(hash: string): boolean;
  /** Reads the record of a key; undefined when missing; the raw value when in another format. */
  readRecord(key: string): RunRecord | { outdated: unknown } | undefined;
  /** Writes a record last, by temp file + fsync + rename. */
  writeRecord(record: RunRecord): void;
  /** Directory where an instance's outputs appear under their own names (links to objects). */
  outputDir(record: { key: string }): string;
  /** Creates an empty temporary directory for one instance run. */
  makeTempDir(label: string): string;
}
