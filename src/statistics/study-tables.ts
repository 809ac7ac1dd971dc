/**
 * The study's summary tables over result rows: correlations of the theory's variable pairs and
 * least-squares sign checks, per dataset and model family, per dataset pooled over families, and
 * over everything.
 */
import type { Coefficient, CorrelationRow, ResultRow, SignCheck } from '../formats.js';
import { Rng } from '../random.js';
import { isEstimate, pearson, spearman, type CorrelationResult } from './correlation.js';
import { isFit, ols, type OlsResult } from './ols.js';

/** Numeric results.csv columns that a correlation can use. */
export type NumericColumn = {
  [K in keyof ResultRow]-?: NonNullable<ResultRow[K]> extends number ? K : never;
}[keyof ResultRow];

/** The (x, y) pairs whose correlation the study reports: the theory's claims, one pair each. */
export const CORRELATION_PAIRS: readonly [NumericColumn, NumericColumn][] = [
  ['prior_accuracy', 'kl_kde'],
  ['base_accuracy', 'kl_kde'],
  ['base_accuracy', 'synthetic_accuracy'],
  ['kl_kde', 'synthetic_accuracy'],
];

/** Label of a pooled dataset or family in the tables. */
export const POOLED = 'all';

/** A set of runs summarised together. */
export interface RunGroup {
  dataset: string;
  family: string;
  rows: ResultRow[];
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Groups rows per dataset and family, then per dataset pooled over families (present even for a
 * single family, so every dataset has its pooled row), in sorted order. `includeAll` appends the
 * group of every row.
 */
export function groupRuns(rows: ResultRow[], includeAll: boolean): RunGroup[] {
  const groups: RunGroup[] = [];
  for (const dataset of sortedUnique(rows.map((row) => row.dataset))) {
    const ofDataset = rows.filter((row) => row.dataset === dataset);
    const families = sortedUnique(ofDataset.map((row) => row.family));
    for (const family of families) groups.push({ dataset, family, rows: ofDataset.filter((row) => row.family === family) });
    groups.push({ dataset, family: POOLED, rows: ofDataset });
  }
  if (includeAll) groups.push({ dataset: POOLED, family: POOLED, rows });
  return groups;
}

/** Returns the x and y values of rows where both are finite numbers. */
function completePairs(rows: ResultRow[], x: NumericColumn, y: NumericColumn): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const row of rows) {
    const a = row[x];
    const b = row[y];
    if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  return { xs, ys };
}

function estimateOrNull(result: CorrelationResult): { value: number | null; lo: number | null; hi: number | null } {
  if (!isEstimate(result)) return { value: null, lo: null, hi: null };
  return { value: result.estimate, lo: result.lo, hi: result.hi };
}

function compareRunIds(a: ResultRow, b: ResultRow): number {
  if (a.run_id < b.run_id) return -1;
  return a.run_id > b.run_id ? 1 : 0;
}

/**
 * Computes Pearson and Spearman correlations for every pair in CORRELATION_PAIRS in every group
 * (per dataset and family, per dataset, all runs). Each bootstrap is seeded from `seed`, the pair
 * and the group's sorted run ids, not its name. So groups with the same runs (a dataset's pooled
 * row and the all-runs row of a one-dataset study) get identical intervals.
 */
export function correlationTable(rows: ResultRow[], seed: number): CorrelationRow[] {
  const table: CorrelationRow[] = [];
  for (const group of groupRuns(rows, true)) {
    // Code-unit order of run ids, so the resampled order depends on the runs alone.
    const members = [...group.rows].sort(compareRunIds);
    const runIds = members.map((row) => row.run_id).join('\n');
    for (const [x, y] of CORRELATION_PAIRS) {
      const { xs, ys } = completePairs(members, x, y);
      const rng = Rng.from('correlate-bootstrap', seed, x, y, runIds);
      const r = estimateOrNull(pearson(xs, ys));
      const rho = estimateOrNull(spearman(xs, ys, rng));
      table.push({
        dataset: group.dataset,
        family: group.family,
        x,
        y,
        n: xs.length,
        pearson_r: r.value,
        pearson_lo: r.lo,
        pearson_hi: r.hi,
        spearman_rho: rho.value,
        spearman_lo: rho.lo,
        spearman_hi: rho.hi,
      });
    }
  }
  return table;
}

function coefficientOf(fit: OlsResult, name: string): Coefficient | null {
  if (!isFit(fit)) return null;
  const coefficient = fit.coefficients.find((candidate) => candidate.name === name);
  return coefficient ? { estimate: coefficient.estimate, lo: coefficient.lo, hi: coefficient.hi } : null;
}

/**
 * Fits kl_kde ~ prior_accuracy + base_accuracy. A predictor that is constant within the group (for
 * example one prior only) is left out, so the other can still be tested, and a note names it.
 */
function fitKl(rows: ResultRow[], notes: string[]): { prior: Coefficient | null; model: Coefficient | null } {
  const usable = rows.filter((row) => [row.kl_kde, row.prior_accuracy, row.base_accuracy].every(Number.isFinite));
  const y = usable.map((row) => row.kl_kde);
  const candidates = { prior_accuracy: usable.map((row) => row.prior_accuracy), base_accuracy: usable.map((row) => row.base_accuracy) };
  const predictors: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(candidates)) {
    if (values.length > 0 && values.every((value) => value === values[0])) notes.push(`${name} is constant, so kl_kde is not fitted on it`);
    else predictors[name] = values;
  }
  if (Object.keys(predictors).length === 0) return { prior: null, model: null };
  const fit = ols(y, predictors);
  if (!isFit(fit)) notes.push(`kl_kde fit: ${fit.note}`);
  return { prior: coefficientOf(fit, 'prior_accuracy'), model: coefficientOf(fit, 'base_accuracy') };
}

function fitSynthetic(rows: ResultRow[], notes: string[]): Coefficient | null {
  const usable = rows.filter((row) => Number.isFinite(row.synthetic_accuracy) && Number.isFinite(row.base_accuracy));
  const fit = ols(
    usable.map((row) => row.synthetic_accuracy),
    { base_accuracy: usable.map((row) => row.base_accuracy) },
  );
  if (!isFit(fit)) notes.push(`synthetic_accuracy fit: ${fit.note}`);
  return coefficientOf(fit, 'base_accuracy');
}

/**
 * Checks the theory's signs in one group: the coefficients of kl_kde on prior_accuracy and on
 * base_accuracy should be negative and the slope of synthetic_accuracy on base_accuracy positive.
 * `agrees` judges the estimates that could be fitted (the note names any that could not) and is
 * null when none could.
 */
export function signCheck(group: RunGroup): SignCheck {
  const notes: string[] = [];
  const kl = fitKl(group.rows, notes);
  const synthetic = fitSynthetic(group.rows, notes);
  const verdicts = [
    kl.prior === null ? null : kl.prior.estimate < 0,
    kl.model === null ? null : kl.model.estimate < 0,
    synthetic === null ? null : synthetic.estimate > 0,
  ].filter((verdict): verdict is boolean => verdict !== null);
  const check: SignCheck = {
    dataset: group.dataset,
    family: group.family,
    n: group.rows.length,
    klOnPriorAccuracy: kl.prior,
    klOnModelAccuracy: kl.model,
    syntheticOnBase: synthetic,
    agrees: verdicts.length === 0 ? null : verdicts.every(Boolean),
  };
  if (notes.length > 0) check.note = notes.join('; ');
  return check;
}

/** Returns sign checks per dataset and family and per dataset pooled over families. */
export function signCheckTable(rows: ResultRow[]): SignCheck[] {
  return groupRuns(rows, false).map(signCheck);
}
