/** Steps on the split feature rows: median imputation and removal of constant features. */
import { InputError } from '../errors.js';
import type { IngestSummary } from '../formats.js';

/** Feature rows of both splits, in original units, with their column names. */
export interface SplitRows {
  features: string[];
  train: number[][];
  test: number[][];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Replaces missing cells (NaN) in both splits with the training split's median of that feature, so
 * no test value leaks into training. Returns the summary rule, or undefined when nothing was missing.
 */
export function imputeTrainingMedian(rows: SplitRows, file: string): IngestSummary['rules'][number] | undefined {
  const all = [...rows.train, ...rows.test];
  const changedRows = all.filter((row) => row.some(Number.isNaN)).length;
  if (changedRows === 0) return undefined;
  const details: string[] = [];
  rows.features.forEach((name, j) => {
    const missing = all.filter((row) => Number.isNaN(row[j])).length;
    if (missing === 0) return;
    const observed = rows.train.map((row) => row[j]).filter((value) => !Number.isNaN(value));
    if (observed.length === 0) {
      throw new InputError(`${file}: column "${name}" has no value in the training split, so its median cannot be imputed`, {
        location: { file },
        value: name,
        hint: `add ${name} to drop, or use incomplete: drop`,
      });
    }
    const fill = median(observed);
    for (const row of all) if (Number.isNaN(row[j])) row[j] = fill;
    details.push(`${name}: ${missing} cells set to ${fill}`);
  });
  return { rule: 'missing-median', rows: changedRows, detail: details.join(', ') };
}

/**
 * Removes features that are constant in the training split: their standard deviation is 0, so
 * they cannot be standardized and carry no information for a model. Returns the removed names.
 */
export function dropConstantFeatures(rows: SplitRows): string[] {
  const constant = rows.features.map((_, j) => rows.train.every((row) => row[j] === rows.train[0][j]));
  const removed = rows.features.filter((_, j) => constant[j]);
  if (removed.length === 0) return removed;
  const keep = (row: number[]) => row.filter((_, j) => !constant[j]);
  rows.features = rows.features.filter((_, j) => !constant[j]);
  rows.train = rows.train.map(keep);
  rows.test = rows.test.map(keep);
  return removed;
}
