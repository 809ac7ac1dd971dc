/**
 * Ingest: from a dataset spec to a standardized, stratified train/test split (DatasetFile) plus
 * both splits as CSV in original units for people to read.
 */
import { InputError } from '../errors.js';
import type { DatasetFile, IngestSummary } from '../formats.js';
import { Rng } from '../random.js';
import { detectDelimiter, parseCsv } from './csv.js';
import { dropConstantFeatures, imputeTrainingMedian, type SplitRows } from './features.js';
import { columnStats, fitScaler, standardize } from './scale.js';
import { readSourceText, type SourceOptions, type SourceText } from './source.js';
import { parseDatasetSpec, type DatasetSpec } from './spec.js';
import { stratifiedSplit } from './split.js';
import { buildTable, dropIncompleteRows, type NumericTable } from './table.js';

export interface IngestOptions extends SourceOptions {
  /** Dataset name, as in the pipeline's `datasets:` catalog. */
  name: string;
  /** Fraction of each class put in the test split, in (0, 1). */
  testFraction: number;
  /** Seed of the train/test split. */
  seed: number;
  warn(message: string): void;
}

export interface IngestOutput {
  dataset: DatasetFile;
  /** Training split in original units, with a header (features, then the target column). */
  trainCsv: string;
  testCsv: string;
}

function checkClasses(table: NumericTable, file: string): void {
  const present = table.classes.filter((_, c) => table.labels.includes(c));
  if (present.length < 2) {
    const found = present.length === 0 ? 'no rows are left' : `only class "${present[0]}" has rows`;
    throw new InputError(`${file}: at least two classes are needed, but ${found}`, {
      location: { file },
      value: present.join(', '),
      hint: 'check target.column and target.classes, and the missing markers',
    });
  }
}

function toCsv(features: string[], targetColumn: string, rows: number[][], labels: number[], classes: string[]): string {
  const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [[...features, targetColumn].map(cell).join(',')];
  rows.forEach((row, i) => lines.push([...row.map(String), cell(classes[labels[i]])].join(',')));
  return `${lines.join('\n')}\n`;
}

function countClasses(labels: number[], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const y of labels) counts[y]++;
  return counts;
}

/** Splits the rows, imputes missing cells and drops constant features. Appends rules and dropped columns to the table. */
function prepareSplits(table: NumericTable, spec: DatasetSpec, source: SourceText, options: IngestOptions) {
  // The split depends only on the data's checksum, the seed and the fraction, not on where the
  // pipeline or the file lives, so every checkout and mirror gives the same split.
  const rng = Rng.from('ingest-split', source.sha256, options.seed, options.testFraction);
  const file = source.file;
  const indices = stratifiedSplit(table.labels, table.classes, options.testFraction, rng, file);
  const rows: SplitRows = {
    features: table.features,
    train: indices.train.map((i) => table.rows[i]),
    test: indices.test.map((i) => table.rows[i]),
  };
  if (spec.incomplete === 'median') {
    const rule = imputeTrainingMedian(rows, file);
    if (rule !== undefined) table.rules.push(rule);
  }
  for (const column of dropConstantFeatures(rows)) {
    options.warn(`Dataset "${options.name}": feature "${column}" is constant in the training split and is dropped`);
    table.droppedColumns.push({ column, reason: 'constant in the training split' });
  }
  if (rows.features.length === 0) {
    throw new InputError(`${file}: no feature columns are left after dropping`, { location: { file }, hint: 'keep at least one non-constant numeric feature' });
  }
  const trainLabels = indices.train.map((i) => table.labels[i]);
  const testLabels = indices.test.map((i) => table.labels[i]);
  return { rows, trainLabels, testLabels };
}

/** Runs the whole ingest. Raises InputError for anything in the spec or the data that cannot be modelled. */
export async function ingestDataset(rawSpec: unknown, options: IngestOptions): Promise<IngestOutput> {
  const spec = parseDatasetSpec(rawSpec, options.name);
  const source = await readSourceText(spec, options);
  const delimiter = spec.delimiter === 'auto' ? detectDelimiter(source.text) : spec.delimiter;
  const records = parseCsv(source.text, delimiter, source.file);
  // Package datasets always come with a header line, which `columns` may rename.
  const table = buildTable(records, spec, source.file, spec.package !== undefined || spec.header);
  if (spec.incomplete === 'drop') dropIncompleteRows(table, source.file);
  checkClasses(table, source.file);

  const { rows, trainLabels, testLabels } = prepareSplits(table, spec, source, options);
  const scaler = fitScaler(rows.train, rows.features.length);
  const k = table.classes.length;
  const summary: IngestSummary = {
    source: source.source,
    sha256: source.sha256,
    rowsRead: table.rowsRead,
    rules: table.rules,
    droppedColumns: table.droppedColumns,
    classCounts: { train: countClasses(trainLabels, k), test: countClasses(testLabels, k) },
    // Statistics of the training split in original units, so mean and std equal the scaler's.
    featureStats: rows.features.map((name, j) => ({ name, ...columnStats(rows.train, j) })),
  };
  const dataset: DatasetFile = {
    name: options.name,
    features: rows.features,
    classes: table.classes,
    train: { n: rows.train.length, x: standardize(rows.train.flat(), scaler), y: trainLabels },
    test: { n: rows.test.length, x: standardize(rows.test.flat(), scaler), y: testLabels },
    scaler,
    summary,
  };
  return {
    dataset,
    trainCsv: toCsv(rows.features, spec.target.column, rows.train, trainLabels, table.classes),
    testCsv: toCsv(rows.features, spec.target.column, rows.test, testLabels, table.classes),
  };
}
