/** Reads a dataset's text from its source (file, URL or package) and checks its SHA-256. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { extractMember, sha256Hex, verifySha256 } from './checksum.js';
import { fetchUrlData, type DownloadOptions } from './download.js';
import { loadPackageDataset } from './package.js';
import type { DatasetSpec } from './spec.js';
import { decodeText } from './text.js';

export interface SourceOptions extends DownloadOptions {
  /** Directory that relative `file` paths are resolved against: the pipeline file's directory. */
  baseDir: string;
}

export interface SourceText {
  text: string;
  /** Local path (or package name) of the text, used as the file name in error messages. */
  file: string;
  /** Description for the ingest summary: the URL, path or package@version. */
  source: string;
  /** SHA-256 of the parsed bytes. */
  sha256: string;
}

/** Reads download settings from the environment: RECON_DATA_DIR, RECON_DOWNLOAD_DIR and RECON_OFFLINE. */
export function downloadSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Pick<DownloadOptions, 'dataDir' | 'downloadDir' | 'offline'> {
  return {
    dataDir: env.RECON_DATA_DIR || undefined,
    downloadDir: env.RECON_DOWNLOAD_DIR || join(cwd, 'cache', 'downloads'),
    offline: env.RECON_OFFLINE === '1' || env.RECON_OFFLINE === 'true',
  };
}

async function readLocalFile(spec: DatasetSpec, baseDir: string): Promise<SourceText> {
  const path = resolve(baseDir, spec.file!);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`Dataset file ${path} cannot be read (${code ?? (error as Error).message})`, {
      location: { file: path },
      value: spec.file,
      hint: `check the path: a relative path is resolved against ${resolve(baseDir)}, the pipeline file's directory`,
    });
  }
  let file = path;
  if (spec.member !== undefined) {
    verifySha256(bytes, spec.archiveSha256, path, 'archiveSha256');
    bytes = await extractMember(bytes, spec.member, path);
    file = `${path}!/${spec.member}`;
  }
  const sha256 = verifySha256(bytes, spec.sha256, file);
  return { text: decodeText(bytes, file), file, source: path, sha256 };
}

/** Reads the dataset's text and records its origin. Raises InputError for unreadable sources and checksum mismatches. */
export async function readSourceText(spec: DatasetSpec, options: SourceOptions): Promise<SourceText> {
  if (spec.file !== undefined) return readLocalFile(spec, options.baseDir);
  if (spec.url !== undefined) {
    const data = await fetchUrlData({ url: spec.url, sha256: spec.sha256, archiveSha256: spec.archiveSha256, member: spec.member }, options);
    return { text: decodeText(data.bytes, data.file), file: data.file, source: spec.url, sha256: sha256Hex(data.bytes) };
  }
  const pkg = await loadPackageDataset(spec.package!);
  const file = `package ${spec.package}`;
  const sha256 = verifySha256(new TextEncoder().encode(pkg.text), spec.sha256, file);
  return { text: pkg.text, file, source: `${spec.package}@${pkg.version}`, sha256 };
}
