/**
 * Heart Disease (Cleveland) as a DatasetFile, prepared the way the ingest stage does: rows with a
 * missing value (`?`) dropped (297 remain), class = num > 0, a seeded stratified 70/30 split, and
 * features standardized with the training mean and standard deviation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetFile, SplitData } from '../../src/formats.js';
import type { TrainingData } from '../../src/models/index.js';
import { Rng } from '../../src/random.js';

import { MIRROR_DIR } from '../helpers/datasets.js';

export const DATA_DIR = MIRROR_DIR;

const FEATURES = ['age', 'sex', 'cp', 'trestbps', 'chol', 'fbs', 'restecg', 'thalach', 'exang', 'oldpeak', 'slope', 'ca', 'thal'];

function stratifiedSplit(labels: number[], testFraction: number, rng: Rng): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...new Set(labels)].sort()) {
    const rows = rng.shuffle(labels.flatMap((value, i) => (value === label ? [i] : [])));
    const testCount = Math.round(rows.length * testFraction);
    test.push(...rows.slice(0, testCount));
    train.push(...rows.slice(testCount));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Loads the Cleveland file and returns a split, standardized DatasetFile. */
export function loadHeartDataset(seed = 0): DatasetFile {
  const text = readFileSync(join(DATA_DIR, 'heart_disease_cleveland', 'processed.cleveland.data'), 'utf8');
  const rows = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('?'))
    .map((line) => line.split(',').map(Number));
  const labels = rows.map((row) => (row[13] > 0 ? 1 : 0));
  const split = stratifiedSplit(labels, 0.3, Rng.from('heart-split', seed));
  const d = FEATURES.length;
  const mean = FEATURES.map((_, j) => split.train.reduce((sum, i) => sum + rows[i][j], 0) / split.train.length);
  const std = FEATURES.map((_, j) => Math.sqrt(split.train.reduce((sum, i) => sum + (rows[i][j] - mean[j]) ** 2, 0) / (split.train.length - 1)));
  const toSplit = (indices: number[]): SplitData => ({
    n: indices.length,
    x: indices.flatMap((i) => rows[i].slice(0, d).map((value, j) => (value - mean[j]) / std[j])),
    y: indices.map((i) => labels[i]),
  });
  return {
    name: 'heart',
    features: FEATURES,
    classes: ['absence', 'presence'],
    train: toSplit(split.train),
    test: toSplit(split.test),
    scaler: { mean, std },
    summary: {
      source: 'processed.cleveland.data',
      sha256: '',
      rowsRead: text.split('\n').filter((line) => line.trim() !== '').length,
      rules: [],
      droppedColumns: [],
      classCounts: { train: [0, 1].map((c) => split.train.filter((i) => labels[i] === c).length), test: [0, 1].map((c) => split.test.filter((i) => labels[i] === c).length) },
      featureStats: [],
    },
  };
}

/** Converts one split to the typed arrays the trainers take. */
export function toTrainingData(split: SplitData, d: number): TrainingData {
  return { x: Float32Array.from(split.x), y: Int32Array.from(split.y), n: split.n, d };
}
