/**
 * `model.json`: what every family writes so that `loadClassifier` can rebuild it. Large arrays go
 * to a binary side file named in `files`. Nothing time- or machine-dependent is written, so the
 * same training seed gives the same bytes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSpec } from './spec.js';

export const MODEL_FILE = 'model.json';
/** Bumped when the layout changes, so an old file is rejected instead of misread. */
export const MODEL_FORMAT_VERSION = 1;

export interface ModelFileBase {
  formatVersion: number;
  family: ModelSpec['family'];
  spec: ModelSpec;
  numFeatures: number;
  numClasses: number;
}

/** Dense network: layer shapes in model.json, float32 little-endian weights in `weights.bin`. */
export interface MlpModelFile extends ModelFileBase {
  family: 'mlp';
  layers: { inputSize: number; units: number; activation: 'relu' | 'softmax' }[];
  /** Kernel then bias of each layer, concatenated. */
  weightsFile: string;
}

/** Boosted trees: XGBoost's own binary model, which the loader parses into flat trees. */
export interface XgboostModelFile extends ModelFileBase {
  family: 'xgboost';
  boosterFile: string;
}

/** CART tree as flat arrays; node i is a leaf when left[i] is -1. */
export interface TreeModelFile extends ModelFileBase {
  family: 'tree';
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Per node, numClasses class frequencies (zeros for inner nodes). */
  leafProba: number[];
}

export type ModelFile = MlpModelFile | XgboostModelFile | TreeModelFile;

/** Writes model.json with a trailing newline. */
export async function writeModelFile(dir: string, model: ModelFile): Promise<void> {
  await writeFile(join(dir, MODEL_FILE), `${JSON.stringify(model)}\n`);
}

/**
 * Returns a buffer of exactly `size` values: `out` itself when it has that length, a view of its
 * start when it is longer, and a new array when it is missing or too short.
 */
export function outputBuffer(out: Float32Array | undefined, size: number): Float32Array {
  if (out === undefined || out.length < size) return new Float32Array(size);
  return out.length === size ? out : out.subarray(0, size);
}
