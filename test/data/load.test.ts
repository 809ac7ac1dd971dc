import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import type { InputRef } from '../../src/stage-api.js';
import { FIXTURES, expectInputError, ingest } from './helpers.js';

function refTo(path: string): InputRef {
  return { id: 'ingest[test]', stage: 'ingest', coords: {}, params: {}, files: { 'dataset.json': path }, metrics: {} };
}

describe('load', () => {
  test('loadDataset round trip', async () => {
    const { dataset } = await ingest({ file: 'small.csv', drop: ['id'], target: { column: 'label' } });
    const path = join(mkdtempSync(join(tmpdir(), 'recon-load-')), 'dataset.json');
    writeFileSync(path, JSON.stringify(dataset));
    expect(await loadDataset(refTo(path))).toEqual(dataset);
  });

  test('loadDataset rejects bad shapes', async () => {
    const { dataset } = await ingest({ file: 'small.csv', drop: ['id'], target: { column: 'label' } });
    const path = join(mkdtempSync(join(tmpdir(), 'recon-load-')), 'dataset.json');
    writeFileSync(path, JSON.stringify({ ...dataset, train: { ...dataset.train, x: dataset.train.x.slice(1) } }));
    await expect(loadDataset(refTo(path))).rejects.toThrow(/train has 15 values, expected n \* d = 8 \* 2/);
  });

  test('local zip with member', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recon-zip-'));
    const csv = 'a,b,label\n1,2,x\n2,3,x\n3,5,x\n4,4,y\n5,1,y\n6,0,y\n';
    writeFileSync(join(dir, 'pack.zip'), zipSync({ 'inner/t.csv': strToU8(csv) }));
    const run = await ingest({ file: 'pack.zip', member: 't.csv', target: { column: 'label' } }, { baseDir: dir });
    expect(run.dataset.train.n + run.dataset.test.n).toBe(6);
    expect(run.dataset.summary.source).toBe(join(dir, 'pack.zip'));
  });

  test('member of a plain file', async () => {
    await expectInputError(ingest({ file: 'small.csv', member: 'x.csv', target: { column: 'label' } }), [/member "x.csv" is set but the file is not a zip archive/]);
  });

  test('absolute file path', async () => {
    const run = await ingest({ file: join(FIXTURES, 'semicolon.csv'), delimiter: ';', target: { column: 'label' } }, { baseDir: '/nonexistent' });
    expect(run.dataset.features).toEqual(['a', 'b']);
  });

  test('comparison with a non-number', async () => {
    const spec = { file: 'small.csv', target: { column: 'label', classes: { low: '< x', high: '>= x' } } };
    await expectInputError(ingest(spec), [/target.classes.low: "< x" compares label with a value that is not a number/]);
  });
});
