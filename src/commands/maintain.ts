/** Cache maintenance under the lock: `verify` re-hashes objects, `gc` removes unreferenced ones. */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CliOptions } from '../cli-options.js';
import { readHeads } from '../cache/heads.js';
import { hashAndRead, LocalStore } from '../cache/local-store.js';
import { dropIndexes } from '../cache/record-index.js';
import type { RunRecord } from '../cache/run-record.js';
import { canonicalJson } from '../canonical-json.js';
import { loadPipeline } from '../config/load.js';
import { buildDag } from '../dag.js';
import { InputError } from '../errors.js';
import { manifestHash } from '../hashing.js';
import { acquireLock } from '../lock.js';
import { PlainLogger } from '../logging/plain-logger.js';
import { planRun } from '../runner.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function withLock(options: CliOptions, command: string, body: (store: LocalStore) => Promise<number>): Promise<number> {
  const logger = new PlainLogger();
  const release = await acquireLock(options.cacheDir, { waitSeconds: options.wait, command, emit: (event) => logger.log(event) });
  try {
    return await body(new LocalStore(options.cacheDir));
  } finally {
    release();
  }
}

const HEX = /^[0-9a-f]+$/;

/** Lists the hashes of all objects in the store, and the paths there that are not objects. */
function listObjects(store: LocalStore): { hashes: string[]; strays: string[] } {
  const root = join(store.root, 'objects');
  const hashes: string[] = [];
  const strays: string[] = [];
  if (!existsSync(root)) return { hashes, strays };
  for (const prefix of readdirSync(root)) {
    const dir = join(root, prefix);
    if (!statSync(dir).isDirectory()) {
      strays.push(dir);
      continue;
    }
    for (const rest of readdirSync(dir)) {
      const hash = prefix + rest;
      if (hash.length === 64 && HEX.test(hash) && statSync(join(dir, rest)).isFile()) hashes.push(hash);
      else strays.push(join(dir, rest));
    }
  }
  return { hashes, strays };
}

/** Lists the keys of all run records. */
function listRecords(store: LocalStore): string[] {
  const dir = join(store.root, 'runs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5));
}

function removeRecord(store: LocalStore, key: string): void {
  rmSync(store.recordPath(key), { force: true });
  rmSync(join(store.root, 'out', key), { recursive: true, force: true });
}

/** Removes temp files that a killed process left beside records, indexes and heads. */
function removeLeftoverTemps(store: LocalStore): number {
  let removed = 0;
  for (const name of ['runs', 'index', 'heads']) {
    const dir = join(store.root, name);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((entry) => entry.endsWith('.tmp'))) {
      rmSync(join(dir, file), { force: true });
      removed++;
    }
  }
  return removed;
}

const objectsOf = (record: RunRecord): string[] => [...Object.values(record.outputs).map((entry) => entry.hash), ...(record.log ? [record.log] : [])];

/**
 * Says why a readable record cannot be trusted, or returns undefined when it can. `corrupt` lists
 * the objects this verify removed because their content no longer matched their hash.
 */
function recordProblem(store: LocalStore, record: RunRecord, corrupt: Set<string>): string | undefined {
  if (manifestHash(record.outputs) !== record.manifestHash) return 'its manifest hash does not match its outputs';
  const state = (hash: string): string => (corrupt.has(hash) ? 'corrupt' : 'missing');
  for (const [path, entry] of Object.entries(record.outputs)) {
    if (!store.hasObject(entry.hash)) return `object ${entry.hash.slice(0, 12)} of output ${path} is ${state(entry.hash)}`;
  }
  if (record.log !== undefined && !store.hasObject(record.log)) return `its log object is ${state(record.log)}`;
  return undefined;
}

interface VerifyFindings {
  objects: number;
  corrupt: string[];
  strays: string[];
  removedRecords: { key: string; instanceId: string; reason: string }[];
  /** Index entries that disagree with their record files, per pipeline. */
  staleIndexEntries: Record<string, number>;
  damagedFiles: string[];
  leftoverTemps: number;
}

/**
 * `recon verify`: re-hashes every object and removes the corrupt ones. It also removes every
 * record that is unreadable or uses a corrupt or missing object, so the next run recomputes those
 * instances. Exit code 1 when it found and repaired damage, so scripts notice it; 0 when the cache
 * was intact.
 */
export async function verifyCommand(_args: string[], options: CliOptions): Promise<number> {
  return withLock(options, 'recon verify', async (store) => {
    const findings = verifyStore(store);
    if (options.json) print(JSON.stringify({ type: 'verify', ...findings }));
    else printFindings(findings);
    const damage = findings.corrupt.length + findings.strays.length + findings.removedRecords.length + findings.damagedFiles.length;
    return damage + Object.keys(findings.staleIndexEntries).length > 0 ? 1 : 0;
  });
}

function verifyStore(store: LocalStore): VerifyFindings {
  const { hashes, strays } = listObjects(store);
  const corrupt = hashes.filter((hash) => hashAndRead(store.objectPath(hash)) !== hash);
  for (const path of [...strays, ...corrupt.map((hash) => store.objectPath(hash))]) rmSync(path, { recursive: true, force: true });
  const corruptSet = new Set(corrupt);
  const records = new Map<string, RunRecord>();
  const removedRecords: VerifyFindings['removedRecords'] = [];
  for (const key of listRecords(store)) {
    const inspected = store.inspectRecord(key);
    let record: RunRecord | undefined;
    let reason: string | undefined;
    if ('problem' in inspected) reason = `record ${inspected.problem}`;
    else if ('outdated' in inspected.record) reason = 'record in an outdated format';
    else {
      record = inspected.record;
      reason = recordProblem(store, record, corruptSet);
    }
    if (reason === undefined && record !== undefined) {
      records.set(key, record);
      unlinkStaleViews(store, record);
      continue;
    }
    removedRecords.push({ key, instanceId: record?.instanceId ?? 'unknown', reason: reason ?? 'unknown' });
    removeRecord(store, key);
  }
  const staleIndexEntries = checkIndexes(store, records);
  dropIndexes(store);
  const damagedFiles = removeDamagedHeads(store);
  return { objects: hashes.length, corrupt, strays, removedRecords, staleIndexEntries, damagedFiles, leftoverTemps: removeLeftoverTemps(store) };
}

/** Counts index entries that are not a summary of the intact record of their key. */
function checkIndexes(store: LocalStore, records: Map<string, RunRecord>): Record<string, number> {
  const dir = join(store.root, 'index');
  const stale: Record<string, number> = {};
  if (!existsSync(dir)) return stale;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    let entries: Record<string, unknown>;
    try {
      entries = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { records: Record<string, unknown> }).records;
      if (typeof entries !== 'object' || entries === null) throw new Error('no records');
    } catch {
      stale[file.slice(0, -5)] = -1;
      continue;
    }
    let count = 0;
    for (const [key, entry] of Object.entries(entries)) {
      const record = records.get(key);
      const { keyInputs: _keyInputs, warnings: _warnings, ...summary } = record ?? ({} as RunRecord);
      if (record === undefined || canonicalJson(summary) !== canonicalJson(entry)) count++;
    }
    if (count > 0) stale[file.slice(0, -5)] = count;
  }
  return stale;
}

/** Removes heads files that are not a JSON object; they only serve explain and gc. */
function removeDamagedHeads(store: LocalStore): string[] {
  const dir = join(store.root, 'heads');
  if (!existsSync(dir)) return [];
  const damaged: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    try {
      const value = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) continue;
    } catch {
      // Reported below.
    }
    damaged.push(join(dir, file));
    rmSync(join(dir, file), { force: true });
  }
  return damaged;
}

function printFindings(findings: VerifyFindings): void {
  for (const hash of findings.corrupt) print(`corrupt object ${hash} (removed)`);
  for (const path of findings.strays) print(`stray file ${path} in objects/ (removed)`);
  for (const entry of findings.removedRecords) {
    print(`removed record of ${entry.instanceId} (key ${entry.key.slice(0, 12)}): ${entry.reason}; it reruns on the next run`);
  }
  for (const [pipeline, count] of Object.entries(findings.staleIndexEntries)) {
    const what = count < 0 ? 'is unreadable' : `has ${count} entr${count === 1 ? 'y' : 'ies'} that disagree with the run records`;
    print(`record index of ${pipeline} ${what} (removed; the next run rebuilds it)`);
  }
  for (const path of findings.damagedFiles) print(`damaged file ${path} (removed)`);
  if (findings.leftoverTemps > 0) print(`removed ${plural(findings.leftoverTemps, 'temp file')} left by interrupted runs`);
  const removed = findings.removedRecords.length;
  print(`verified ${plural(findings.objects, 'object')}: ${findings.corrupt.length} corrupt, ${plural(removed, 'record')} removed`);
}

/** Formats a count with its noun, singular for exactly one: `1 record`, `0 records`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Removes output views that are no longer links to the record's objects; runs relink them. */
function unlinkStaleViews(store: LocalStore, record: RunRecord): void {
  for (const [path, entry] of Object.entries(record.outputs)) {
    const view = join(store.outputDir(record), path);
    if (!existsSync(view)) continue;
    const stat = statSync(view);
    if (!stat.isFile() || (stat.ino !== statSync(store.objectPath(entry.hash)).ino && hashAndRead(view) !== entry.hash)) rmSync(view, { recursive: true, force: true });
  }
}

/**
 * `recon gc`: keeps what the current and last runs of the given pipelines reference. The kept
 * keys are computed under the lock, so records that a run finishing just before gc wrote are kept.
 */
export async function gcCommand(files: string[], options: CliOptions): Promise<number> {
  const pipelines = files.length > 0 ? files : defaultPipelines();
  const dags = await Promise.all(pipelines.map(async (file) => buildDag(loadPipeline(file))));
  return withLock(options, 'recon gc', async (store) => {
    const keep = new Set<string>();
    for (const dag of dags) {
      for (const entry of planRun(dag, { cacheDir: options.cacheDir, force: [], only: [] })) if (entry.key) keep.add(entry.key);
      for (const key of Object.values(readHeads(options.cacheDir, dag.pipeline.name))) keep.add(key);
    }
    const liveObjects = new Set<string>();
    const deadRecords: string[] = [];
    for (const key of listRecords(store)) {
      const record = keep.has(key) ? store.readRecord(key) : undefined;
      if (record !== undefined && !('outdated' in record)) objectsOf(record).forEach((hash) => liveObjects.add(hash));
      else deadRecords.push(key);
    }
    const deadObjects = listObjects(store).hashes.filter((hash) => !liveObjects.has(hash));
    if (!options.dryRun) {
      dropIndexes(store);
      for (const key of deadRecords) removeRecord(store, key);
      for (const hash of deadObjects) rmSync(store.objectPath(hash), { force: true });
      removeLeftoverTemps(store);
    }
    const verb = options.dryRun ? 'would remove' : 'removed';
    if (options.json) print(JSON.stringify({ type: 'gc', dryRun: options.dryRun, records: deadRecords, objects: deadObjects }));
    else print(`${verb} ${plural(deadRecords.length, 'record')} and ${plural(deadObjects.length, 'object')}; kept ${plural(keep.size, 'key')} of ${pipelines.join(', ')}`);
    return 0;
  });
}

function defaultPipelines(): string[] {
  const dir = 'pipelines';
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(dir, name)) : [];
  if (files.length === 0) throw new InputError('gc found no pipelines in ./pipelines.', { hint: 'pass the pipeline files whose cache entries to keep: recon gc <pipeline>...' });
  return files;
}
