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

export function readHeads(cacheRoot: string, pipeline: string): Heads {
  try {
    return JSON.parse(readFileSync(headsPath(cacheRoot, pipeline), 'utf8')) as Heads;
  } catch {
    return {};
  }
}

export function writeHeads(cacheRoot: string, pipeline: string, heads: Heads): void {
  const sorted = Object.fromEntries(Object.entries(heads).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeAtomic(headsPath(cacheRoot, pipeline), JSON.stringify(sorted, null, 1));
}
