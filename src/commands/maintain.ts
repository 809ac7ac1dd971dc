/** Cache maintenance under the lock: `verify` re-hashes objects, `gc` removes unreferenced ones. */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CliOptions } from '../cli-options.js';
import { readHeads } from '../cache/heads.js';
import { hashAndRead, LocalStore } from '../cache/local-store.js';
import { dropIndexes } from '../cache/record-index.js';
import type { RunRecord } from '../cache/run-record.js';
import { loadPipeline } from '../config/load.js';
import { buildDag } from '../dag.js';
import { InputError } from '../errors.js';
import { acquireLock } from '../lock.js';
import { PlainLogger } from '../logging/plain-logger.js';
import { planRun } from '../runner.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function withLock(options: CliOptions, command: string, body: (store: LocalStore) => number): Promise<number> {
  const logger = new PlainLogger();
  const release = await acquireLock(options.cacheDir, { waitSeconds: options.wait, command, emit: (event) => logger.log(event) });
  try {
    return body(new LocalStore(options.cacheDir));
  } finally {
    release();
  }
}

/** Lists the hashes of all objects in the store. */
function listObjects(store: LocalStore): string[] {
  const root = join(store.root, 'objects');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((prefix) => readdirSync(join(root, prefix)).map((rest) => prefix + rest));
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

const objectsOf = (record: RunRecord): string[] => [...Object.values(record.outputs).map((entry) => entry.hash), ...(record.log ? [record.log] : [])];

/**
 * `recon verify`: re-hashes every object; removes corrupt ones and every record that uses a
 * corrupt or missing object, so the next run recomputes those instances. Exit code 1 when it
 * found damage, 0 when the cache is intact.
 */
export async function verifyCommand(_args: string[], options: CliOptions): Promise<number> {
  return withLock(options, 'recon verify', (store) => {
    const objects = listObjects(store);
    const corrupt = objects.filter((hash) => hashAndRead(store.objectPath(hash)) !== hash);
    for (const hash of corrupt) rmSync(store.objectPath(hash), { force: true });
    dropIndexes(store);
    const removed: { key: string; instanceId: string }[] = [];
    for (const key of listRecords(store)) {
      const record = store.readRecord(key);
      const damaged = record === undefined || 'outdated' in record || objectsOf(record).some((hash) => !store.hasObject(hash));
      if (damaged) {
        removed.push({ key, instanceId: record && 'instanceId' in record ? record.instanceId : 'unknown' });
        removeRecord(store, key);
      } else unlinkStaleViews(store, record);
    }
    if (options.json) print(JSON.stringify({ type: 'verify', objects: objects.length, corrupt, removedRecords: removed }));
    else {
      for (const hash of corrupt) print(`corrupt object ${hash} (removed)`);
      for (const entry of removed) print(`removed record of ${entry.instanceId} (key ${entry.key.slice(0, 12)}); it reruns on the next run`);
      print(`verified ${objects.length} objects: ${corrupt.length} corrupt, ${removed.length} records removed`);
    }
    return corrupt.length > 0 || removed.length > 0 ? 1 : 0;
  });
}

/** Removes output views that are no longer links to the record's objects; runs relink them. */
function unlinkStaleViews(store: LocalStore, record: RunRecord): void {
  for (const [path, entry] of Object.entries(record.outputs)) {
    const view = join(store.outputDir(record), path);
    if (!existsSync(view)) continue;
    if (statSync(view).ino !== statSync(store.objectPath(entry.hash)).ino && hashAndRead(view) !== entry.hash) rmSync(view, { force: true });
  }
}

/** `recon gc`: keeps what the current and last runs of the given pipelines reference. */
export async function gcCommand(files: string[], options: CliOptions): Promise<number> {
  const pipelines = files.length > 0 ? files : defaultPipelines();
  const keep = new Set<string>();
  for (const file of pipelines) {
    const dag = await buildDag(loadPipeline(file));
    for (const entry of planRun(dag, { cacheDir: options.cacheDir, force: [], only: [] })) if (entry.key) keep.add(entry.key);
    for (const key of Object.values(readHeads(options.cacheDir, dag.pipeline.name))) keep.add(key);
  }
  return withLock(options, 'recon gc', (store) => {
    const liveObjects = new Set<string>();
    const deadRecords: string[] = [];
    for (const key of listRecords(store)) {
      const record = keep.has(key) ? store.readRecord(key) : undefined;
      if (record !== undefined && !('outdated' in record)) objectsOf(record).forEach((hash) => liveObjects.add(hash));
      else deadRecords.push(key);
    }
    const deadObjects = listObjects(store).filter((hash) => !liveObjects.has(hash));
    if (!options.dryRun) {
      dropIndexes(store);
      for (const key of deadRecords) removeRecord(store, key);
      for (const hash of deadObjects) rmSync(store.objectPath(hash), { force: true });
    }
    const verb = options.dryRun ? 'would remove' : 'removed';
    if (options.json) print(JSON.stringify({ type: 'gc', dryRun: options.dryRun, records: deadRecords, objects: deadObjects }));
    else print(`${verb} ${deadRecords.length} records and ${deadObjects.length} objects; kept ${keep.size} keys of ${pipelines.join(', ')}`);
    return 0;
  });
}

function defaultPipelines(): string[] {
  const dir = 'pipelines';
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(dir, name)) : [];
  if (files.length === 0) throw new InputError('gc found no pipelines in ./pipelines.', { hint: 'pass the pipeline files whose cache entries to keep: recon gc <pipeline>...' });
  return files;
}
