/**
 * Per pipeline, the key each instance id last ran with. `explain` compares a changed key with the
 * record of this previous key; `gc` keeps the records it names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './local-store.js';

export type Heads = Record<string, string>;

export function headsPath(cacheRoot: string, pipeline: string): string {
  return join(cacheRoot, 'heads', `${pipeline}.json`);
}

/** Reads the heads of a pipeline; a missing or damaged file gives none, which only weakens `explain` and `gc`. */
export function readHeads(cacheRoot: string, pipeline: string): Heads {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(headsPath(cacheRoot, pipeline), 'utf8'));
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  // Deletes in place instead of copying: a study has thousands of heads.
  const heads = value as Record<string, unknown>;
  for (const id in heads) if (typeof heads[id] !== 'string') delete heads[id];
  return heads as Heads;
}

export function writeHeads(cacheRoot: string, pipeline: string, heads: Heads): void {
  const sorted = Object.fromEntries(Object.entries(heads).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeAtomic(headsPath(cacheRoot, pipeline), JSON.stringify(sorted, null, 1));
}
