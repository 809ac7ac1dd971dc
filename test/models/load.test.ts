import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadClassifier, readModelSpec, trainClassifier, type ModelSpecInput } from '../../src/models/index.js';
import { parseXgboostModel } from '../../src/models/xgboost-binary.js';
import { Rng } from '../../src/random.js';

// Two features, two classes: class 1 when x0 + x1 > 0.
const n = 40;
const x = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 1.7) * 2);
const y = Int32Array.from({ length: n }, (_, i) => (x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0));
const data = { x, y, n, d: 2 };

async function savedModel(spec: ModelSpecInput): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-load-'));
  const model = await trainClassifier(spec, data, 2, Rng.from('load'));
  await model.save(dir);
  return dir;
}

describe('loadClassifier', () => {
  test('reads the spec back', async () => {
    const dir = await savedModel({ family: 'tree', maxDepth: 2 });
    expect(await readModelSpec((name) => join(dir, name))).toEqual({ family: 'tree', maxDepth: 2, minNumSamples: 3, gainThreshold: 0.01 });
  });

  test('rejects another format version', async () => {
    const dir = await savedModel({ family: 'tree' });
    const file = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ ...file, formatVersion: 99 }));
    const load = loadClassifier((name) => join(dir, name));
    await expect(load).rejects.toBeInstanceOf(InputError);
    await expect(load).rejects.toThrow('format version 99, this version reads 1');
  });

  test('rejects truncated weights', async () => {
    const dir = await savedModel({ family: 'mlp', hidden: [4], epochs: 1 });
    const weights = await readFile(join(dir, 'weights.bin'));
    await writeFile(join(dir, 'weights.bin'), weights.subarray(0, weights.length - 8));
    await expect(loadClassifier((name) => join(dir, name))).rejects.toThrow('Invalid weights.bin: expected 22 weights for the layers in model.json, found 20');
  });

  test('rejects a truncated booster', async () => {
    const dir = await savedModel({ family: 'xgboost', rounds: 3 });
    const bytes = new Uint8Array(await readFile(join(dir, 'booster.bin')));
    expect(parseXgboostModel(bytes).group.length).toBe(6);
    expect(() => parseXgboostModel(bytes.subarray(0, 300))).toThrow(/Invalid XGBoost model: needs \d+ bytes at offset \d+, file has 300/);
  });

  test('rejects a tree with a cycle', async () => {
    const dir = await savedModel({ family: 'tree' });
    const file = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(file.left[0]).toBeGreaterThan(0);
    file.left[file.left[0]] = 0;
    file.right[file.left[0]] = 0;
    await writeFile(join(dir, 'model.json'), JSON.stringify(file));
    await expect(loadClassifier((name) => join(dir, name))).rejects.toThrow('Invalid tree model in model.json: node 0 is reached twice');
  });
});

describe('xgboost subsample', () => {
  test('seeded row sampling', async () => {
    const spec: ModelSpecInput = { family: 'xgboost', rounds: 5, subsample: 0.5 };
    const proba = async (seed: string) => (await trainClassifier(spec, data, 2, Rng.from(seed))).predictProba(x, n);
    const first = await proba('a');
    expect(await proba('a')).toEqual(first);
    expect(await proba('b')).not.toEqual(first);
  });
});

describe('trainClassifier input checks', () => {
  test('rejects out-of-range labels', async () => {
    const bad = { ...data, y: Int32Array.from(y, (label, i) => (i === 3 ? 2 : label)) };
    const train = trainClassifier({ family: 'tree' }, bad, 2, Rng.from('bad'));
    await expect(train).rejects.toBeInstanceOf(InputError);
    await expect(train).rejects.toThrow('Invalid class index 2 at training row 3: expected 0 to 1');
  });

  test('rejects non-finite features', async () => {
    const bad = { ...data, x: Float32Array.from(x, (value, i) => (i === 5 ? Number.NaN : value)) };
    await expect(trainClassifier({ family: 'tree' }, bad, 2, Rng.from('bad'))).rejects.toThrow('Invalid feature value NaN at training row 2, column 1');
  });

  test('rejects one class', async () => {
    await expect(trainClassifier({ family: 'tree' }, data, 1, Rng.from('bad'))).rejects.toThrow('Cannot train a classifier with 1 classes: at least two are needed');
  });
});
