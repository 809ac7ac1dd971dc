/**
 * One results row per reconstruction run: the evaluate-kld instance's `kld.json` joined with the
 * train-synthetic instance of the same matrix coordinates.
 */
import { InputError } from '../errors.js';
import type { KldResult, ResultRow, SyntheticResult } from '../formats.js';
import type { InputRef, JsonValue } from '../stage-api.js';

/** Leading columns of results.csv, in order; other tools read them by position and name. */
export const RESULT_COLUMNS = [
  'dataset',
  'family',
  'label_noise',
  'prior',
  'prior_shift',
  'seed',
  'sampler',
  'base_accuracy',
  'prior_error',
  'prior_accuracy',
  'kl_kde',
  'kl_knn',
  'kl_prior_only',
  'kl_test_floor',
  'synthetic_accuracy',
  'acceptance',
  'rhat_max',
  'ess_min',
] as const;

/** Columns of results.csv after the contract columns. */
export const EXTRA_RESULT_COLUMNS = ['run_id', 'prior_scale', 'synthetic_ratio', 'kl_knn_prior_only', 'kl_knn_test_floor'] as const;

/** Columns of correlations.csv, in order. */
export const CORRELATION_COLUMNS = [
  'dataset',
  'family',
  'x',
  'y',
  'n',
  'pearson_r',
  'pearson_lo',
  'pearson_hi',
  'spearman_rho',
  'spearman_lo',
  'spearman_hi',
] as const;

/** Serializes a JSON value with sorted object keys, so equal coordinates compare equal. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when the two coordinate sets agree on every axis both have. */
function sharedAxesEqual(a: InputRef['coords'], b: InputRef['coords']): boolean {
  return Object.keys(a).every((axis) => !(axis in b) || canonical(a[axis]) === canonical(b[axis]));
}

/**
 * Returns, for each run, the one synthetic instance whose coordinates agree with the run's on
 * every shared axis. Raises InputError when a run has none or several, because the pipeline then
 * wires train-synthetic over different axes than evaluate-kld.
 */
export function matchSynthetic(runs: InputRef[], synthetic: InputRef[]): InputRef[] {
  return runs.map((run) => {
    const matches = synthetic.filter((candidate) => sharedAxesEqual(run.coords, candidate.coords));
    if (matches.length === 1) return matches[0];
    const coords = canonical(run.coords);
    const hint = 'give train-synthetic the same foreach axes as evaluate-kld, and wire correlate with { runs: evaluate-kld[*], synthetic: train-synthetic[*] }';
    if (matches.length === 0) {
      throw new InputError(`No train-synthetic instance matches ${run.id} (coordinates ${coords}); correlate input "synthetic" has ${synthetic.length} instances.`, { value: run.id, hint });
    }
    const ids = matches.map((match) => match.id).join(', ');
    throw new InputError(`Several train-synthetic instances match ${run.id} (coordinates ${coords}): ${ids}.`, { value: run.id, hint });
  });
}

/** Returns a finite number or null, so CSV cells are empty instead of NaN. */
function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Builds the results row of one run. Dataset and seed come from the run's coordinates when present
 * (the dataset name in kld.json and seed 0 otherwise); everything else from its files.
 */
export function resultRow(run: InputRef, kld: KldResult, synthetic: SyntheticResult): ResultRow {
  const dataset = typeof run.coords.dataset === 'string' ? run.coords.dataset : kld.dataset;
  const seed = typeof run.coords.seed === 'number' ? run.coords.seed : 0;
  return {
    dataset,
    family: kld.family,
    label_noise: kld.labelNoise,
    prior: kld.prior.kind,
    prior_shift: kld.prior.shift,
    seed,
    sampler: kld.sampler,
    base_accuracy: kld.baseAccuracy,
    prior_error: kld.priorError,
    prior_accuracy: kld.priorAccuracy,
    kl_kde: kld.klKde,
    kl_knn: kld.klKnn,
    kl_prior_only: kld.klPriorOnly,
    kl_test_floor: kld.klTestFloor,
    synthetic_accuracy: synthetic.accuracy,
    acceptance: kld.acceptance,
    rhat_max: kld.rhatMax,
    ess_min: kld.essMin,
    run_id: run.id,
    prior_scale: kld.prior.scale,
    synthetic_ratio: synthetic.accuracyRatio,
    kl_knn_prior_only: kld.klKnnPriorOnly,
    kl_knn_test_floor: kld.klKnnTestFloor,
  };
}

/** Copies a row with every non-finite number (NaN, from JSON null) replaced by null for the CSV. */
export function csvRecord(row: object, columns: readonly string[]): Record<string, string | number | null> {
  const record: Record<string, string | number | null> = {};
  for (const column of columns) {
    const value = (row as Record<string, unknown>)[column];
    record[column] = typeof value === 'string' ? value : finiteOrNull(value as number | null | undefined);
  }
  return record;
}
