/** The run record stored per cache key: what ran, from which inputs, and what it wrote. */
import type { KeyInputs } from '../hashing.js';
import type { JsonObject } from '../stage-api.js';

/** Layout version of run records; a record in another version is reported, never trusted. */
export const RECORD_FORMAT = 1;

export interface OutputEntry {
  /** SHA-256 of the file's contents: the object's name in the store. */
  hash: string;
  /** Size in bytes. */
  size: number;
}

export interface RunRecord {
  format: number;
  key: string;
  instanceId: string;
  stage: string;
  kind: string;
  pipeline: string;
  /** Everything that went into the key, with sorted keys, for field-by-field comparison. */
  keyInputs: KeyInputs;
  /** Output path relative to the instance's output directory -> object. */
  outputs: Record<string, OutputEntry>;
  /** Hash of the outputs' manifest; what downstream keys see of this instance. */
  manifestHash: string;
  metrics: JsonObject;
  timings: { startedAt: string; wallMs: number };
  /** Object hash of the instance's log. */
  log?: string;
  warnings: string[];
}

/** A run record without its key inputs and warnings: what a run needs of an up-to-date instance. */
export type RecordSummary = Omit<RunRecord, 'keyInputs' | 'warnings'>;

/** True when `value` looks like a run record of the current format. */
export function isCurrentRecord(value: unknown): value is RunRecord {
  const record = value as Partial<RunRecord> | null;
  return typeof record === 'object' && record !== null && record.format === RECORD_FORMAT && typeof record.outputs === 'object';
}
