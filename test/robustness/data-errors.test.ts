/**
 * Malformed data files through the ingest stage: each must raise InputError naming the file, the
 * line and column where they apply, the value, and a fix.
 */
import { zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { ingestError } from '../fixtures/robustness/data/ingest-run.js';

const BODY = '1,2,x\n2,3,x\n3,1,x\n4,5,y\n5,6,y\n6,7,y\n';

interface ErrorCase {
  name: string;
  csv: string | Uint8Array;
  spec?: Record<string, unknown>;
  /** Expected message after the file path. */
  message: RegExp;
  line?: number;
  column?: number;
  value?: string;
  hint: RegExp;
}

const latin1 = Uint8Array.from([...Buffer.from(`a,b,label\n${BODY}`), ...Buffer.from('7,8,caf'), 0xe9, 0x0a]);
const utf16 = Uint8Array.from([0xff, 0xfe, ...Buffer.from(`a,b,label\n${BODY}`, 'utf16le')]);
const utf16NoBom = Uint8Array.from(Buffer.from(`a,b,label\n${BODY}`, 'utf16le'));

const CASES: ErrorCase[] = [
  { name: 'duplicate-columns', csv: `a,a,label\n${BODY}`, message: /:1: duplicate column name "a" \(columns 1 and 2\)/, line: 1, column: 2, value: 'a', hint: /rename one of them/ },
  { name: 'duplicate-after-trim', csv: `b, a ,a,label\n1,${BODY.split('\n').filter(Boolean).join('\n1,')}\n`, message: /:1: duplicate column name "a" \(columns 2 and 3\)/, line: 1, column: 3, hint: /columns: \[\.\.\.\]/ },
  { name: 'unnamed-column', csv: `a,,label\n${BODY}`, message: /:1: column 2 has no name/, line: 1, column: 2, hint: /name every column/ },
  { name: 'unclosed-quote', csv: `a,b,label\n1,2,x\n2,"3,x\n3,1,x\n`, message: /:3: a quoted field is not closed before the end of the file/, line: 3, hint: /closing quote/ },
  { name: 'text-after-quote', csv: `a,b,label\n1,2,x\n2,"3"4,x\n`, message: /:3: unexpected character after a closing quote/, line: 3, value: '4', hint: /two quotes/ },
  { name: 'decimal-comma', csv: `a;b;label\n1,5;2;x\n2;3;x\n3;1;x\n4;5;y\n5;6;y\n6;7;y\n`, spec: { delimiter: 'auto' }, message: /:2:1: column "a" contains "1,5", which is not a number/, line: 2, column: 1, value: '1,5', hint: /decimal numbers with a point \("1\.5"\)/ },
  { name: 'utf16', csv: utf16, message: /: the file is UTF-16 text; only UTF-8 is read/, hint: /iconv -f UTF-16/ },
  { name: 'utf16-no-bom', csv: utf16NoBom, message: /: the file contains NUL bytes/, hint: /UTF-16 text without a byte order mark/ },
  { name: 'latin1', csv: latin1, message: /:8: the file is not valid UTF-8 text/, line: 8, hint: /iconv -f latin1/ },
  { name: 'zip-as-file', csv: zipSync({ 'data.csv': Buffer.from(`a,b,label\n${BODY}`) }), message: /: the file is a zip archive, not CSV text/, hint: /member:/ },
  { name: 'long-cell', csv: `a,b,label\n1,${'z'.repeat(100_000)},x\n${BODY}`, message: /:2:2: column "b" contains "z{120}\.\.\. \(100000 characters\)", which is not a number/, line: 2, column: 2, hint: /drop: \[b\]/ },
  { name: 'long-target', csv: `a,b,label\n${BODY}7,8,${'q'.repeat(50_000)}\n`, spec: { target: { column: 'label', classes: { x: 'x', y: 'y' } } }, message: /:8:3: target value "q{120}\.\.\. \(50000 characters\)" matches no class/, line: 8, column: 3, hint: /add a rule/ },
];

describe('malformed data files', () => {
  test.each(CASES)('$name raises InputError', async ({ name, csv, spec, message, line, column, value, hint }) => {
    const { error, file } = await ingestError(name, csv, spec);
    expect(error.message.startsWith(file)).toBe(true);
    expect(error.message.slice(file.length)).toMatch(message);
    expect(error.message.length).toBeLessThan(600);
    expect(error.location?.file).toBe(file);
    expect(error.location?.line).toBe(line);
    expect(error.location?.column).toBe(column);
    if (value !== undefined) expect(error.value).toBe(value);
    expect(error.hint).toMatch(hint);
  });
});
