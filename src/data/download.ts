/**
 * URL datasets: a local mirror folder first, then a download cache, then the network.
 *
 * Checksums: `sha256` always describes the bytes that are parsed, so for a zip URL with `member`
 * it is the member's hash and the same check applies whether the member came from a mirror, a
 * cached archive or a fresh download. `archiveSha256`, when given, also checks the archive itself.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { extractMember, verifySha256 } from './checksum.js';

export interface UrlSpec {
  url: string;
  sha256?: string;
  archiveSha256?: string;
  member?: string;
}

export interface DownloadOptions {
  /** Local mirror folder searched recursively by file name before any download (env RECON_DATA_DIR). */
  dataDir?: string;
  /** Download cache folder (env RECON_DOWNLOAD_DIR, else <cwd>/cache/downloads). */
  downloadDir: string;
  /** When true, a URL not found in the mirror or cache is an error instead of a download. */
  offline: boolean;
  signal?: AbortSignal;
  log(message: string): void;
  /** Maximum time for one download, in milliseconds. */
  timeoutMs?: number;
}

/** Data bytes of a URL dataset and the local path they were read from (for messages). */
export interface FetchedData {
  bytes: Uint8Array;
  file: string;
}

/** Returns the URL's last path segment, decoded: the file name searched for in the mirror. */
export function urlFileName(url: string): string {
  const segment = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  if (segment === '') throw new InputError(`URL ${url} has no file name in its path`, { value: url, hint: 'point url at a file' });
  return decodeURIComponent(segment);
}

function compareNames(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** Finds the first file named `name` under `dir`, searching depth-first in sorted name order. */
export async function findInMirror(dir: string, name: string): Promise<string | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  entries.sort((a, b) => compareNames(a.name, b.name));
  for (const entry of entries) {
    if (entry.name === name && !entry.isDirectory()) return join(dir, entry.name);
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const hit = await findInMirror(join(dir, entry.name), name);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Checks an archive or plain file against its checksums and returns the data bytes. Raises InputError on a mismatch. */
async function openVerified(bytes: Uint8Array, file: string, spec: UrlSpec, isArchive: boolean): Promise<FetchedData> {
  if (!isArchive) {
    verifySha256(bytes, spec.sha256, file);
    return { bytes, file };
  }
  verifySha256(bytes, spec.archiveSha256, file, 'archiveSha256');
  const data = await extractMember(bytes, spec.member!, file);
  const memberFile = `${file}!/${spec.member}`;
  verifySha256(data, spec.sha256, memberFile);
  return { bytes: data, file: memberFile };
}

async function readMirror(spec: UrlSpec, dataDir: string, log: (message: string) => void): Promise<FetchedData | undefined> {
  const memberName = spec.member?.split('/').pop();
  if (memberName !== undefined) {
    const path = await findInMirror(dataDir, memberName);
    if (path !== undefined) {
      log(`Using mirror file ${path} for ${spec.url}`);
      return openVerified(await readFile(path), path, spec, false);
    }
  }
  const path = await findInMirror(dataDir, urlFileName(spec.url));
  if (path === undefined) return undefined;
  log(`Using mirror file ${path} for ${spec.url}`);
  return openVerified(await readFile(path), path, spec, spec.member !== undefined);
}

/** Path of a URL in the download cache: a hash of the URL keeps different URLs with one file name apart. */
export function cachePath(url: string, downloadDir: string): string {
  const urlHash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  return join(downloadDir, `${urlHash}-${urlFileName(url)}`);
}

async function readCached(path: string, spec: UrlSpec, log: (message: string) => void): Promise<FetchedData | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  try {
    const data = await openVerified(bytes, path, spec, spec.member !== undefined);
    log(`Using cached download ${path}`);
    return data;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    log(`Cached download ${path} does not match its checksum; downloading again`);
    return undefined;
  }
}

const DEFAULT_TIMEOUT_MS = 300_000;

/** Names the cause of a failed fetch: Node's fetch reports only "fetch failed" and keeps the system error in `cause`. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `timed out after ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

async function download(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const hint = `set RECON_DATA_DIR to a folder that contains ${urlFileName(url)}, or check the network`;
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new InputError(`Download of ${url} failed: ${describeFetchError(error, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)}`, { value: url, hint });
  }
  if (!response.ok) {
    throw new InputError(`Download of ${url} failed: HTTP ${response.status} ${response.statusText}`, { value: url, hint });
  }
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Returns the data bytes of a URL dataset, checked against its checksums: from the mirror when a
 * file of the same name is there, else from the download cache, else downloaded into the cache.
 */
export async function fetchUrlData(spec: UrlSpec, options: DownloadOptions): Promise<FetchedData> {
  if (options.dataDir !== undefined) {
    if (!existsSync(options.dataDir)) options.log(`RECON_DATA_DIR=${options.dataDir} does not exist, so no mirror file is used`);
    const mirrored = await readMirror(spec, options.dataDir, options.log);
    if (mirrored !== undefined) return mirrored;
  }
  const path = cachePath(spec.url, options.downloadDir);
  const cached = await readCached(path, spec, options.log);
  if (cached !== undefined) return cached;
  if (options.offline) {
    const where = options.dataDir === undefined ? 'RECON_DATA_DIR is not set' : `it is not under RECON_DATA_DIR=${options.dataDir}`;
    throw new InputError(`Cannot read ${spec.url}: downloads are disabled (RECON_OFFLINE) and ${where}`, {
      value: spec.url,
      hint: `set RECON_DATA_DIR to a folder that contains ${spec.member?.split('/').pop() ?? urlFileName(spec.url)}`,
    });
  }
  options.log(`Downloading ${spec.url}`);
  const bytes = await download(spec.url, options);
  await mkdir(options.downloadDir, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
  try {
    return await openVerified(bytes, path, spec, spec.member !== undefined);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}
