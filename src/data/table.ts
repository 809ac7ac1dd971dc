/**
 * From parsed CSV records to a numeric table: column names, dropped columns, missing markers,
 * the target mapping and the conversion of feature cells to numbers. Each removal or change is
 * counted as a rule for the ingest summary.
 */
import { InputError } from '../errors.js';
import type { IngestSummary } from '../formats.js';
import type { CsvRecord } from './csv.js';
import { shortValue, suggestName } from './names.js';
import { isNonFiniteLiteral, parseNumber } from './numbers.js';
import type { DatasetSpec } from './spec.js';
import { compileTarget } from './target.js';

export interface NumericTable {
  /** Feature names in file column order. */
  features: string[];
  /** 1-based file column of each feature. */
  columns: number[];
  classes: string[];
  /** Feature values per row in original units. NaN marks a missing cell. */
  rows: number[][];
  /** Class index per row. */
  labels: number[];
  /** 1-based file line of each row. */
  lines: number[];
  rowsRead: number;
  rules: IngestSummary['rules'];
  droppedColumns: IngestSummary['droppedColumns'];
}

interface Columns {
  names: string[];
  data: CsvRecord[];
}

function readColumns(records: CsvRecord[], spec: DatasetSpec, file: string, headerLine: boolean): Columns {
  if (records.length === 0) {
    throw new InputError(`${file}: the file is empty`, { location: { file }, hint: 'check the path or download; the file has no rows' });
  }
  const data = headerLine ? records.slice(1) : records;
  const header = headerLine ? records[0] : undefined;
  const names = spec.columns ?? header!.fields.map((name) => name.trim());
  if (data.length === 0) {
    throw new InputError(`${file}: the file has a header but no data rows`, {
      location: { file, line: header!.line },
      hint: headerLine && spec.columns === undefined ? 'set header: false and list columns if the first line is data' : 'add data rows',
    });
  }
  if (header && spec.columns && header.fields.length !== spec.columns.length) {
    throw new InputError(`${file}:${header.line}: the header has ${header.fields.length} columns but columns lists ${spec.columns.length}`, {
      location: { file, line: header.line },
      hint: 'make columns match the header, or remove columns to use the header names',
    });
  }
  checkNames(names, file, header?.line);
  return { names, data };
}

/** Raises InputError for an empty column name or a name used twice. */
function checkNames(names: string[], file: string, line: number | undefined): void {
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === '') {
      throw new InputError(`${file}${line ? `:${line}` : ''}: column ${index + 1} has no name`, {
        location: { file, line, column: index + 1 },
        hint: 'name every column in the header, or list the names with columns: [...] and header: true',
      });
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new InputError(`${file}${line ? `:${line}` : ''}: duplicate column name "${name}" (columns ${first + 1} and ${index + 1})`, {
        location: { file, line, column: index + 1 },
        value: name,
        hint: 'rename one of them with columns: [...] and header: true',
      });
    }
    seen.set(name, index);
  });
}

function requireColumn(names: string[], column: string, key: string, file: string): number {
  const index = names.indexOf(column);
  if (index < 0) {
    throw new InputError(`${file}: column "${column}" named in ${key} is not in the file`, {
      location: { file },
      value: column,
      hint: suggestName(column, names),
    });
  }
  return index;
}

function checkRagged(data: CsvRecord[], width: number, file: string): void {
  for (const record of data) {
    if (record.fields.length !== width) {
      throw new InputError(`${file}:${record.line}: row has ${record.fields.length} fields, expected ${width}`, {
        location: { file, line: record.line },
        value: shortValue(record.fields.join(',')),
        hint: `fix the row, or quote fields that contain the delimiter. The expected ${width} is the number of column names (header or columns)`,
      });
    }
  }
}

/** Converts one trimmed feature cell to a number, or NaN for a missing-value marker. */
function convertCell(cell: string, name: string, spec: DatasetSpec, file: string, line: number, column: number): number {
  if (spec.missing.includes(cell)) return NaN;
  const location = { file, line, column };
  const raw = shortValue(cell);
  const encoding = spec.encode[name];
  if (encoding !== undefined) {
    const code = encoding[cell];
    if (code !== undefined) return code;
    throw new InputError(`${file}:${line}:${column}: value "${raw}" of column "${name}" has no entry in encode.${name}`, {
      location,
      value: raw,
      hint: `add "${raw}" to encode.${name}, or list it under missing`,
    });
  }
  if (isNonFiniteLiteral(cell)) {
    throw new InputError(`${file}:${line}:${column}: column "${name}" contains "${raw}", which is not a finite number`, {
      location,
      value: raw,
      hint: `fix the value, or add "${raw}" to missing so it is treated as a missing value`,
    });
  }
  const value = parseNumber(cell);
  if (value !== undefined) return value;
  // A decimal comma ("1,5") is the usual sign of a semicolon-separated file from a European locale.
  const hint = /^[+-]?\d*,\d+$/.test(cell)
    ? `write decimal numbers with a point ("${cell.replace(',', '.')}"), for example by exporting the file with a point as the decimal separator`
    : `add encode: { ${name}: { "${raw}": 0, ... } } to map its values to numbers, or drop: [${name}]`;
  throw new InputError(`${file}:${line}:${column}: column "${name}" contains "${raw}", which is not a number`, { location, value: raw, hint });
}

/** Checks that named columns exist and returns the target's index and the feature columns' indices. */
function selectColumns(names: string[], spec: DatasetSpec, file: string): { targetIndex: number; featureIndices: number[] } {
  const targetIndex = requireColumn(names, spec.target.column, 'target.column', file);
  for (const column of spec.drop) requireColumn(names, column, 'drop', file);
  for (const column of Object.keys(spec.encode)) requireColumn(names, column, 'encode', file);
  if (spec.drop.includes(spec.target.column)) {
    throw new InputError(`Column "${spec.target.column}" is both the target and listed in drop`, {
      value: spec.target.column,
      hint: 'remove it from drop',
    });
  }
  const featureIndices = names.flatMap((name, index) => (index === targetIndex || spec.drop.includes(name) ? [] : [index]));
  return { targetIndex, featureIndices };
}

/** Builds the numeric table. Rows with a missing target are dropped, and missing features are left as NaN. */
export function buildTable(records: CsvRecord[], spec: DatasetSpec, file: string, headerLine: boolean): NumericTable {
  const { names, data } = readColumns(records, spec, file, headerLine);
  const { targetIndex, featureIndices } = selectColumns(names, spec, file);
  checkRagged(data, names.length, file);

  const rawTarget = (record: CsvRecord) => record.fields[targetIndex].trim();
  const kept = data.filter((record) => !spec.missing.includes(rawTarget(record)));
  const mapping = compileTarget(spec.target, kept.map(rawTarget), file);
  const table: NumericTable = {
    features: featureIndices.map((index) => names[index]),
    columns: featureIndices.map((index) => index + 1),
    classes: mapping.classes,
    rows: [],
    labels: [],
    lines: [],
    rowsRead: data.length,
    rules: [],
    droppedColumns: spec.drop.map((column) => ({ column, reason: 'listed in drop' })),
  };
  if (kept.length < data.length) table.rules.push({ rule: 'missing-target-drop', rows: data.length - kept.length });

  for (const record of kept) {
    const raw = rawTarget(record);
    const label = mapping.classify(raw);
    if (label < 0) {
      const shown = shortValue(raw);
      throw new InputError(`${file}:${record.line}:${targetIndex + 1}: target value "${shown}" matches no class of ${mapping.describe()}`, {
        location: { file, line: record.line, column: targetIndex + 1 },
        value: shown,
        hint: `add a rule for "${shown}" to target.classes, or list it under missing to drop such rows`,
      });
    }
    table.labels.push(label);
    table.lines.push(record.line);
    const cells = featureIndices.map((index) => convertCell(record.fields[index].trim(), names[index], spec, file, record.line, index + 1));
    table.rows.push(cells);
  }
  return table;
}

/**
 * Removes rows with a missing feature and records how many, per column, as the `missing-drop` rule.
 * Raises InputError for a column with no value at all, because dropping would remove every row.
 */
export function dropIncompleteRows(table: NumericTable, file: string): void {
  const perColumn = table.features.map((_, j) => table.rows.filter((row) => Number.isNaN(row[j])).length);
  const empty = perColumn.findIndex((count) => count > 0 && count === table.rows.length);
  if (empty >= 0) {
    const name = table.features[empty];
    throw new InputError(`${file}: column "${name}" has no value in any row (all ${table.rows.length} cells are missing), so incomplete: drop would remove every row`, {
      location: { file, column: table.columns[empty] },
      value: name,
      hint: `add drop: [${name}] to leave the column out, or check the missing markers`,
    });
  }
  const keep = table.rows.map((row) => !row.some(Number.isNaN));
  const removed = keep.filter((k) => !k).length;
  if (removed === 0) return;
  table.rows = table.rows.filter((_, i) => keep[i]);
  table.labels = table.labels.filter((_, i) => keep[i]);
  table.lines = table.lines.filter((_, i) => keep[i]);
  const detail = table.features.flatMap((name, j) => (perColumn[j] > 0 ? [`${name}: ${perColumn[j]} cells`] : [])).join(', ');
  table.rules.push({ rule: 'missing-drop', rows: removed, detail });
}
