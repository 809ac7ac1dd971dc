import { describe, expect, test } from 'vitest';
import { detectDelimiter, parseCsv } from '../../src/data/csv.js';
import { InputError } from '../../src/errors.js';

describe('csv', () => {
  test('quoted fields with delimiters', () => {
    const records = parseCsv('a,b\n"1,5","say ""hi"""\n', ',', 'f.csv');
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['1,5', 'say "hi"']]);
  });

  test('crlf, bom and blank trailing lines', () => {
    const records = parseCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n\r\n\r\n', ',', 'f.csv');
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  test('line break inside quotes counts lines', () => {
    const records = parseCsv('a,b\n"x\ny",1\n2,3', ',', 'f.csv');
    expect(records[1].fields).toEqual(['x\ny', '1']);
    expect(records[2]).toEqual({ fields: ['2', '3'], line: 4 });
  });

  test('old mac line endings', () => {
    expect(parseCsv('a,b\r1,2\r', ',', 'f.csv').map((r) => r.line)).toEqual([1, 2]);
  });

  test('empty last field kept', () => {
    expect(parseCsv('a,b,\n', ',', 'f.csv')[0].fields).toEqual(['a', 'b', '']);
  });

  test('unclosed quote names its line', () => {
    expect(() => parseCsv('a,b\n1,2\n"3,4\n', ',', 'f.csv')).toThrow(InputError);
    expect(() => parseCsv('a,b\n1,2\n"3,4\n', ',', 'f.csv')).toThrow(/f\.csv:3: a quoted field is not closed/);
  });

  test('text after closing quote', () => {
    expect(() => parseCsv('a,b\n"1"x,2\n', ',', 'f.csv')).toThrow(/f\.csv:2: unexpected character after a closing quote/);
  });

  test('delimiter detection', () => {
    expect(detectDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(detectDelimiter('\n\na\tb\tc\n')).toBe('\t');
    expect(detectDelimiter('"x;y;z",b,c\n')).toBe(',');
    expect(detectDelimiter('single\n1\n')).toBe(',');
  });
});
