/** Shared setup for the data tests: fixture paths and an ingest call that never uses the network. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ingestDataset, type IngestOptions, type IngestOutput } from '../../src/data/ingest.js';
import { InputError } from '../../src/errors.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'data');
export { MIRROR_DIR as SHARED_DATASETS } from '../helpers/datasets.js';

export const HEART_URL = 'https://archive.ics.uci.edu/ml/machine-learning-databases/heart-disease/processed.cleveland.data';
export const HEART_SHA256 = 'a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8';
export const SIRTUIN_URL = 'https://archive.ics.uci.edu/static/public/748/sirtuin6+small+molecules-1.zip';
export const SIRTUIN_SHA256 = 'c84f2369cb1227429f0ea3767fa15611ed89066aaf2eac14b0db146a4fc14523';

export const HEART_SPEC = {
  url: HEART_URL,
  sha256: HEART_SHA256,
  columns: ['age', 'sex', 'cp', 'trestbps', 'chol', 'fbs', 'restecg', 'thalach', 'exang', 'oldpeak', 'slope', 'ca', 'thal', 'num'],
  missing: ['?'],
  target: { column: 'num', classes: { absent: '== 0', present: '> 0' } },
};

export const SIRTUIN_SPEC = { url: SIRTUIN_URL, member: 'SIRTUIN6.csv', sha256: SIRTUIN_SHA256, target: { column: 'Class' } };

export interface TestRun extends IngestOutput {
  warnings: string[];
  logs: string[];
}

/** Runs the ingest offline (downloads disabled) with fixtures as the base directory. */
export async function ingest(spec: unknown, options: Partial<IngestOptions> = {}): Promise<TestRun> {
  const warnings: string[] = [];
  const logs: string[] = [];
  const output = await ingestDataset(spec, {
    name: 'test',
    baseDir: FIXTURES,
    testFraction: 0.3,
    seed: 0,
    downloadDir: mkdtempSync(join(tmpdir(), 'recon-downloads-')),
    offline: true,
    log: (message) => logs.push(message),
    warn: (message) => warnings.push(message),
    ...options,
  });
  return { ...output, warnings, logs };
}

/** Awaits a rejection and checks it is an InputError whose message and hint match all patterns. */
export async function expectInputError(promise: Promise<unknown>, patterns: RegExp[]): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  const inputError = error as InputError;
  const text = `${inputError.message}\nhint: ${inputError.hint ?? ''}`;
  for (const pattern of patterns) expect(text).toMatch(pattern);
  return inputError;
}

/** Parses a CSV written by the ingest (no quoted numbers) into header and rows. */
export function readOutputCsv(text: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = text.trimEnd().split('\n').map((line) => line.split(','));
  return { header, rows };
}
