/**
 * Test data for prior and sampler tests: a synthetic standardized dataset, and the Sirtuin6 file
 * from RECON_DATA_DIR standardized in place (train = all rows), as a DatasetFile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetFile } from '../../src/formats.js';
import { Rng } from '../../src/random.js';

import { MIRROR_DIR } from '../helpers/datasets.js';

export const DATA_DIR = MIRROR_DIR;

/** Standardizes row-major rows in place per column; returns the scaler. */
function standardize(x: number[], n: number, d: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) mean[j] += x[i * d + j] / n;
    for (let i = 0; i < n; i++) std[j] += (x[i * d + j] - mean[j]) ** 2 / (n - 1);
    std[j] = Math.sqrt(std[j]);
    for (let i = 0; i < n; i++) x[i * d + j] = (x[i * d + j] - mean[j]) / std[j];
  }
  return { mean, std };
}

function datasetFile(name: string, features: string[], classes: string[], x: number[], y: number[]): DatasetFile {
  const n = y.length;
  const d = features.length;
  const scaler = standardize(x, n, d);
  const counts = classes.map((_, c) => y.filter((label) => label === c).length);
  return {
    name,
    features,
    classes,
    train: { n, x, y },
    test: { n: 0, x: [], y: [] },
    scaler,
    summary: {
      source: name,
      sha256: '',
      rowsRead: n,
      rules: [],
      droppedColumns: [],
      classCounts: { train: counts, test: classes.map(() => 0) },
      featureStats: [],
    },
  };
}

/** Sirtuin6: 100 rows, 6 descriptors, classes High_BFE / Low_BFE. */
export function sirtuinDataset(): DatasetFile {
  const lines = readFileSync(join(DATA_DIR, 'sirtuin6', 'SIRTUIN6.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const features = header.slice(0, -1);
  const classes = ['High_BFE', 'Low_BFE'];
  const x: number[] = [];
  const y: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    for (const cell of cells.slice(0, -1)) x.push(Number(cell));
    y.push(classes.indexOf(cells[cells.length - 1]));
  }
  return datasetFile('sirtuin6', features, classes, x, y);
}

/** `n` rows of `d` features: a mixture of two normals per feature, class 1 where feature 0 > 0. */
export function syntheticDataset(n: number, d: number, seed = 1): DatasetFile {
  const rng = Rng.from('synthetic', seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x.push((rng.uniform() < 0.3 ? 2 : 0) + rng.normal());
    y.push(x[i * d] > 0.6 ? 1 : 0);
  }
  const features = Array.from({ length: d }, (_, j) => `f${j}`);
  return datasetFile(`synthetic-${d}`, features, ['no', 'yes'], x, y);
}
