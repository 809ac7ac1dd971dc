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

const HASH = /^[0-9a-f]{64}$/;

/**
 * True when `value` is a run record (or a summary of one) of the current format whose fields the
 * engine reads have the right types, so a damaged record or index entry is never half trusted.
 */
export function isCurrentRecord(value: unknown): value is RunRecord {
  const record = value as Partial<RunRecord> | null;
  if (typeof record !== 'object' || record === null || Array.isArray(record) || record.format !== RECORD_FORMAT) return false;
  if (typeof record.key !== 'string' || !HASH.test(record.key) || typeof record.manifestHash !== 'string') return false;
  if (typeof record.instanceId !== 'string' || typeof record.metrics !== 'object' || record.metrics === null) return false;
  const outputs = record.outputs as unknown;
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) return false;
  return Object.entries(outputs).every(([path, entry]) => isSafePath(path) && isOutputEntry(entry));
}

/** Output paths stay inside the instance's output directory. */
function isSafePath(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.split(/[\\/]/).some((part) => part === '..' || part === '');
}

function isOutputEntry(value: unknown): value is OutputEntry {
  const entry = value as Partial<OutputEntry> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.hash === 'string' && HASH.test(entry.hash) && typeof entry.size === 'number';
}
