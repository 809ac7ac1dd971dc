/** Helpers for stages that consume the ingest stage's `dataset.json`. */
import type { DatasetFile, SplitData } from '../formats.js';
import { inputPath, readInputJson, type InputRef } from '../stage-api.js';

function checkSplit(split: SplitData, d: number, k: number, where: string): void {
  if (split.x.length !== split.n * d) {
    throw new Error(`Internal error: ${where} has ${split.x.length} values, expected n * d = ${split.n} * ${d}`);
  }
  if (split.y.length !== split.n || split.y.some((y) => !Number.isInteger(y) || y < 0 || y >= k)) {
    throw new Error(`Internal error: ${where} labels do not match n = ${split.n} and ${k} classes`);
  }
}

/** Reads `dataset.json` of an ingest instance and checks that its shapes are consistent. */
export async function loadDataset(ref: InputRef): Promise<DatasetFile> {
  const dataset = await readInputJson<DatasetFile>(ref, 'dataset.json');
  const d = dataset.features.length;
  const k = dataset.classes.length;
  const where = inputPath(ref, 'dataset.json');
  checkSplit(dataset.train, d, k, `${where} train`);
  checkSplit(dataset.test, d, k, `${where} test`);
  if (dataset.scaler.mean.length !== d || dataset.scaler.std.length !== d) {
    throw new Error(`Internal error: ${where} scaler does not have ${d} features`);
  }
  return dataset;
}

/** Returns a split's standardized rows as a row-major Float32Array of n * d values, the layout predictProba takes. */
export function toFloat32(split: SplitData, d: number): Float32Array {
  if (split.x.length !== split.n * d) {
    throw new Error(`Internal error: split has ${split.x.length} values, expected n * d = ${split.n} * ${d}`);
  }
  return Float32Array.from(split.x);
}
