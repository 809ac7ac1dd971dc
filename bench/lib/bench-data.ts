/**
 * The data both sides of the prediction and sampler comparisons use: Cleveland Heart Disease when
 * $RECON_DATA_DIR contains it, else synthetic data of the same shape. The harness writes it to a CSV
 * that the Python programs read, so both sides train and predict on identical rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '../../src/random.js';

export const NUM_FEATURES = 13;
const HEART_FILE = join('heart_disease_cleveland', 'processed.cleveland.data');
const SYNTHETIC_ROWS = 297;

/** Standardized rows (row-major n * 13) with class indices 0 and 1. */
export interface BenchData {
  x: Float32Array;
  y: Int32Array;
  n: number;
  d: number;
  numClasses: number;
  /** Origin of the rows (file path or `synthetic`), for the report. */
  source: string;
}

/** Standardizes each column in place with its mean and population standard deviation. */
function standardize(x: Float64Array, n: number, d: number): void {
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i * d + j];
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (x[i * d + j] - mean) ** 2;
    const sd = Math.sqrt(squares / n) || 1;
    for (let i = 0; i < n; i++) x[i * d + j] = (x[i * d + j] - mean) / sd;
  }
}

/** Reads Cleveland Heart Disease: drops rows with `?`, labels num > 0 as class 1, standardizes. */
function readHeart(path: string): BenchData {
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(','))
    .filter((cells) => cells.length === NUM_FEATURES + 1 && !cells.includes('?'))
    .map((cells) => cells.map(Number));
  const n = rows.length;
  const x = new Float64Array(n * NUM_FEATURES);
  const y = new Int32Array(n);
  rows.forEach((row, i) => {
    for (let j = 0; j < NUM_FEATURES; j++) x[i * NUM_FEATURES + j] = row[j];
    y[i] = row[NUM_FEATURES] > 0 ? 1 : 0;
  });
  standardize(x, n, NUM_FEATURES);
  return { x: Float32Array.from(x), y, n, d: NUM_FEATURES, numClasses: 2, source: `heart ${path}` };
}

/** Returns 297 rows of 13 standard normal features with a logistic label, from a fixed seed. */
function synthesize(): BenchData {
  const rng = Rng.from('bench-data');
  const n = SYNTHETIC_ROWS;
  const weights = Array.from({ length: NUM_FEATURES }, () => rng.normal());
  const x = new Float32Array(n * NUM_FEATURES);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let j = 0; j < NUM_FEATURES; j++) {
      const value = rng.normal();
      x[i * NUM_FEATURES + j] = value;
      score += value * weights[j];
    }
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
  }
  return { x, y, n, d: NUM_FEATURES, numClasses: 2, source: 'synthetic' };
}

/** Loads the real file when $RECON_DATA_DIR contains it, else synthetic data of the same shape. */
export function loadBenchData(): BenchData {
  const dataDir = process.env.RECON_DATA_DIR;
  if (dataDir && existsSync(join(dataDir, HEART_FILE))) return readHeart(join(dataDir, HEART_FILE));
  return synthesize();
}

/** Writes the data as CSV: a header, 13 feature columns, then `label`. Values keep float32 precision. */
export async function writeBenchCsv(data: BenchData, path: string): Promise<void> {
  const header = [...Array.from({ length: data.d }, (_, j) => `x${j}`), 'label'].join(',');
  const lines = [header];
  for (let i = 0; i < data.n; i++) {
    const row = Array.from(data.x.subarray(i * data.d, (i + 1) * data.d), String);
    lines.push([...row, String(data.y[i])].join(','));
  }
  await writeFile(path, lines.join('\n') + '\n');
}

/** Returns `batch` rows made by repeating the data's rows in order (the Python side does the same). */
export function tiledBatch(data: BenchData, batch: number): Float32Array {
  const rows = new Float32Array(batch * data.d);
  for (let i = 0; i < batch; i++) rows.set(data.x.subarray((i % data.n) * data.d, (i % data.n + 1) * data.d), i * data.d);
  return rows;
}

/** Returns the class counts of the first `chains` rows of the data repeated, as the Python sampler assigns chains. */
export function chainClassCounts(data: BenchData, chains: number): number[] {
  const counts = new Array<number>(data.numClasses).fill(0);
  for (let i = 0; i < chains; i++) counts[data.y[i % data.n]]++;
  return counts;
}
