import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ingest, readOutputCsv } from './helpers.js';

const makeTempDir = () => mkdtempSync(join(tmpdir(), 'recon-data-'));

describe('processing', () => {
  test('drop column and split sizes', async () => {
    const { dataset, trainCsv, testCsv } = await ingest({ file: 'small.csv', drop: ['id'], target: { column: 'label' } });
    expect(dataset.features).toEqual(['a', 'b']);
    expect(dataset.classes).toEqual(['x', 'y']);
    expect(dataset.summary.droppedColumns).toEqual([{ column: 'id', reason: 'listed in drop' }]);
    expect(dataset.summary.classCounts).toEqual({ train: [4, 4], test: [2, 2] });
    const train = readOutputCsv(trainCsv);
    const test = readOutputCsv(testCsv);
    expect(train.header).toEqual(['a', 'b', 'label']);
    // Every row lands in exactly one split, in original units, with b = 10 a.
    const all = [...train.rows, ...test.rows].map((row) => Number(row[0])).sort((p, q) => p - q);
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const row of [...train.rows, ...test.rows]) expect(Number(row[1])).toBe(10 * Number(row[0]));
  });

  test('quoted labels, crlf and bom', async () => {
    const { dataset, trainCsv } = await ingest({ file: 'quoted-crlf.csv', target: { column: 'label' } });
    expect(dataset.features).toEqual(['name, quoted', 'b']);
    expect(dataset.classes).toEqual(['x, large', 'y']);
    expect(dataset.summary.rowsRead).toBe(6);
    expect(trainCsv.split('\n')[0]).toBe('"name, quoted",b,label');
    expect(trainCsv).toContain(',"x, large"\n');
  });

  test('auto delimiter', async () => {
    const { dataset } = await ingest({ file: 'semicolon.csv', delimiter: 'auto', target: { column: 'label' } });
    expect(dataset.features).toEqual(['a', 'b']);
    expect(dataset.train.n + dataset.test.n).toBe(6);
  });

  test('tab delimiter', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'tab.tsv'), 'a\tb\tlabel\n1\t2\tx\n2\t3\tx\n3\t5\tx\n4\t4\ty\n5\t1\ty\n6\t0\ty\n');
    const { dataset } = await ingest({ file: 'tab.tsv', delimiter: 'tab', target: { column: 'label' } }, { baseDir: dir });
    expect(dataset.features).toEqual(['a', 'b']);
    expect(dataset.summary.classCounts.train).toEqual([2, 2]);
  });

  test('constant feature warned and dropped', async () => {
    const run = await ingest({ file: 'constant.csv', target: { column: 'label' } });
    expect(run.dataset.features).toEqual(['a', 'b']);
    expect(run.dataset.summary.droppedColumns).toEqual([{ column: 'k', reason: 'constant in the training split' }]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/feature "k" is constant/);
  });

  test('incomplete rows dropped', async () => {
    const { dataset } = await ingest({ file: 'missing.csv', missing: ['?', ''], target: { column: 'label' } });
    expect(dataset.summary.rowsRead).toBe(9);
    expect(dataset.summary.rules).toEqual([
      { rule: 'missing-target-drop', rows: 1 },
      { rule: 'missing-drop', rows: 2, detail: 'b: 2 cells' },
    ]);
    expect(dataset.train.n + dataset.test.n).toBe(6);
  });

  test('median uses training values', async () => {
    const { dataset, trainCsv, testCsv } = await ingest({ file: 'missing.csv', missing: ['?', ''], incomplete: 'median', target: { column: 'label' } });
    expect(dataset.train.n + dataset.test.n).toBe(8);
    const rule = dataset.summary.rules.find((r) => r.rule === 'missing-median');
    expect(rule?.rows).toBe(2);
    // Rows a=1 and a=5 had b missing; both get the median of b over the other training rows.
    const train = readOutputCsv(trainCsv).rows.map((row) => row.map(Number));
    const rows = [...train, ...readOutputCsv(testCsv).rows.map((row) => row.map(Number))];
    const imputed = rows.filter((row) => row[0] === 1 || row[0] === 5).map((row) => row[1]);
    const observed = train.filter((row) => row[0] !== 1 && row[0] !== 5).map((row) => row[1]).sort((p, q) => p - q);
    const mid = observed.length >> 1;
    const median = observed.length % 2 ? observed[mid] : (observed[mid - 1] + observed[mid]) / 2;
    expect(imputed).toEqual([median, median]);
    expect(rule?.detail).toBe(`b: 2 cells set to ${median}`);
  });

  test('encode maps categories', async () => {
    const { dataset, trainCsv } = await ingest({ file: 'non-numeric.csv', encode: { color: { red: 0, blue: 1 } }, target: { column: 'label' } });
    expect(dataset.features).toEqual(['a', 'color']);
    const rows = readOutputCsv(trainCsv).rows;
    for (const row of rows) expect(row[1]).toBe(Number(row[0]) % 2 === 1 ? '0' : '1');
  });

  test('class rules map raw values', async () => {
    const spec = { file: 'unknown-target.csv', target: { column: 'num', classes: { none: '<= 0', some: ['1', 2] } } };
    const { dataset } = await ingest(spec, { testFraction: 0.2 });
    expect(dataset.classes).toEqual(['none', 'some']);
    const { train, test } = dataset.summary.classCounts;
    expect(train).toEqual([2, 2]);
    expect(test).toEqual([1, 1]);
  });

  test('distinct values sorted numerically', async () => {
    const { dataset, trainCsv, testCsv } = await ingest({ file: 'numeric-target.csv', target: { column: 'grade' } });
    // "1.0" and "1" are one class; 10 sorts after 2.
    expect(dataset.classes).toEqual(['1', '2', '10']);
    expect(dataset.summary.classCounts).toEqual({ train: [2, 2, 2], test: [1, 1, 1] });
    const labels = [...readOutputCsv(trainCsv).rows, ...readOutputCsv(testCsv).rows].map((row) => row[2]).sort();
    expect(labels).toEqual(['1', '1', '1', '10', '10', '10', '2', '2', '2']);
  });
});
