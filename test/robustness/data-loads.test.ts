/**
 * Valid but unusual CSV files through the ingest stage: each must load with exactly the values,
 * names, classes and row counts written in the file.
 */
import { describe, expect, test } from 'vitest';
import { ingestCsv } from '../fixtures/robustness/data/ingest-run.js';

/** The table every case encodes in its own way: two features, classes x and y, three rows each. */
const ROWS = [
  [1, 2, 'x'],
  [2, 3, 'x'],
  [3, 1, 'x'],
  [4, 5, 'y'],
  [5, 6, 'y'],
  [6, 7, 'y'],
];

const lines = (delimiter: string, eol: string) => ['a', 'b', 'label'].join(delimiter) + eol + ROWS.map((row) => row.join(delimiter) + eol).join('');

interface LoadCase {
  name: string;
  csv: string;
  spec?: Record<string, unknown>;
  features?: string[];
  classes?: string[];
  rows?: (number | string)[][];
}

const CASES: LoadCase[] = [
  { name: 'bom', csv: `\uFEFF${lines(',', '\n')}` },
  { name: 'crlf', csv: lines(',', '\r\n') },
  { name: 'cr-only', csv: lines(',', '\r') },
  { name: 'semicolon', csv: lines(';', '\n'), spec: { delimiter: ';' } },
  { name: 'semicolon-auto', csv: lines(';', '\n'), spec: { delimiter: 'auto' } },
  { name: 'tab', csv: lines('\t', '\n'), spec: { delimiter: 'tab' } },
  { name: 'tab-auto', csv: lines('\t', '\r\n'), spec: { delimiter: 'auto' } },
  { name: 'trailing-blank-lines', csv: `${lines(',', '\n')}\n\n   \n\n` },
  { name: 'header-spaces', csv: ' a ,  b\t,  label  \n' + ROWS.map((row) => ` ${row.join(' , ')} `).join('\n') },
  {
    name: 'quoted-commas',
    csv: '"a, first",b,label\n' + ROWS.map(([a, b, label]) => `${a},"${b}","${label}, large"`).join('\n') + '\n',
    features: ['a, first', 'b'],
    classes: ['x, large', 'y, large'],
    rows: ROWS.map(([a, b, label]) => [a, b, `${label}, large`]),
  },
  {
    name: 'escaped-quotes',
    csv: 'a,b,label\n' + ROWS.map(([a, b, label]) => `${a},${b},"say ""${label}"""`).join('\n') + '\n',
    classes: ['say "x"', 'say "y"'],
    rows: ROWS.map(([a, b, label]) => [a, b, `say "${label}"`]),
  },
  {
    name: 'quoted-line-break',
    csv: 'a,b,label\n' + ROWS.map(([a, b, label]) => `${a},${b},"${label}\r\nnext"`).join('\n') + '\n',
    classes: ['x\r\nnext', 'y\r\nnext'],
    rows: ROWS.map(([a, b, label]) => [a, b, `${label}\r\nnext`]),
  },
  {
    name: 'exponent-and-signs',
    csv: 'a,b,label\n1e0,+2,x\n2.0,3.,x\n3,1E0,x\n.4e1,5,y\n5,6.000,y\n6,7,y\n',
  },
];

describe('unusual but valid CSV', () => {
  test.each(CASES)('$name loads exactly', async ({ name, csv, spec, features, classes, rows }) => {
    const run = await ingestCsv(name, csv, spec);
    expect(run.dataset.features).toEqual(features ?? ['a', 'b']);
    expect(run.dataset.classes).toEqual(classes ?? ['x', 'y']);
    expect(run.dataset.summary.rowsRead).toBe(6);
    expect(run.dataset.train.n).toBe(4);
    expect(run.dataset.test.n).toBe(2);
    expect(run.dataset.summary.classCounts).toEqual({ train: [2, 2], test: [1, 1] });
    expect(run.dataset.summary.rules).toEqual([]);
    expect(run.rows).toEqual(rows ?? ROWS);
    expect(run.warnings).toEqual([]);
  });

  test('constant feature warns and drops', async () => {
    const csv = 'a,k,b,label\n' + ROWS.map(([a, b, label]) => `${a},5,${b},${label}`).join('\n') + '\n';
    const run = await ingestCsv('constant', csv);
    expect(run.warnings).toEqual(['Dataset "constant": feature "k" is constant in the training split and is dropped']);
    expect(run.dataset.features).toEqual(['a', 'b']);
    expect(run.dataset.summary.droppedColumns).toEqual([{ column: 'k', reason: 'constant in the training split' }]);
    expect(run.dataset.scaler.mean).toHaveLength(2);
    expect(run.dataset.scaler.std.every((s) => s > 0)).toBe(true);
    expect(run.dataset.train.x.every(Number.isFinite)).toBe(true);
    expect(run.rows).toEqual(ROWS);
  });

  test('standardized values match the scaler', async () => {
    const run = await ingestCsv('scaled', lines(',', '\n'));
    const { mean, std } = run.dataset.scaler;
    const train = run.dataset.train;
    // Mean 0 and sample standard deviation 1 per feature on the training split, to 1e-12.
    for (let j = 0; j < 2; j++) {
      const column = Array.from({ length: train.n }, (_, i) => train.x[i * 2 + j]);
      const m = column.reduce((sum, v) => sum + v, 0) / train.n;
      const s = Math.sqrt(column.reduce((sum, v) => sum + (v - m) ** 2, 0) / (train.n - 1));
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      expect(std[j]).toBeGreaterThan(0);
      expect(Number.isFinite(mean[j])).toBe(true);
    }
  });
});
