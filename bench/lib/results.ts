/**
 * The benchmark's result record (the `--json` object) and its targets. Figures are plain numbers
 * in seconds, rows or chain steps per second, or ratios. A figure that could not be measured is
 * null, and its reason is in `skipped`.
 */
import type { Machine } from './environment.js';

export type FamilyFigures = Record<string, number | null>;

export interface BenchResults {
  machine: Machine;
  command: string;
  data_source: string | null;
  noop_rerun_s: number | null;
  /** Every timed no-op rerun, in run order, to show the spread behind the median. */
  noop_rerun_runs_s: number[];
  snakemake_noop_runs_s: number[];
  study_shape_cold_s: number | null;
  study_shape_instances: number | null;
  snakemake_noop_s: number | null;
  snakemake_cold_s: number | null;
  snakemake_jobs: number | null;
  noop_vs_snakemake: number | null;
  /** Our predictProba at batch 1,000, rows per second. */
  predict_rows_per_s: FamilyFigures;
  predict_rows_per_s_batch100: FamilyFigures;
  python_predict_rows_per_s: FamilyFigures;
  python_predict_rows_per_s_batch100: FamilyFigures;
  /** Ours / scikit-learn or xgboost at batch 1,000; above 1 means ours is faster. */
  predict_vs_python: FamilyFigures;
  predict_vs_python_batch100: FamilyFigures;
  /** Time per chain step / predictProba time per row at the sampler's batch (one row per chain). */
  sampler_overhead: FamilyFigures;
  /** The same ratio for the NumPy sampler over scikit-learn / xgboost (needs the predict section). */
  numpy_sampler_overhead: FamilyFigures;
  /** Share of the sampler's wall time inside predictProba, measured during the sampler runs. */
  sampler_predict_share: FamilyFigures;
  chain_steps_per_s: FamilyFigures;
  numpy_chain_steps_per_s: FamilyFigures;
  sampler_vs_numpy: FamilyFigures;
  sampler_chains: number;
  sampler_steps: number;
  quickstart_cold_s: number | null;
  quickstart_runs_s: number[];
  /** Pipeline of the --study figures, relative to the repository. */
  study_pipeline?: string;
  study_cold_s?: number | null;
  study_cold_jobs1_s?: number | null;
  /** CPU seconds / wall seconds of the cold study runs at --jobs 2 and 1 (medians). */
  study_cores_busy?: { jobs2: number | null; jobs1: number | null };
  jobs2_speedup?: number | null;
  /** Pipeline of the --bullmq figures, relative to the repository. */
  bullmq_pipeline?: string;
  /** Median cold run through BullMQ with two `recon worker --concurrency 1` processes, seconds. */
  bullmq_cold_s?: number | null;
  /** Median cold run with the local executor at --jobs 2, alternating with the BullMQ runs. */
  local_jobs2_cold_s?: number | null;
  /** bullmq_cold_s / local_jobs2_cold_s: the cost of the queue and of separate worker processes. */
  bullmq_overhead?: number | null;
  bullmq_runs_s?: number[];
  local_jobs2_runs_s?: number[];
  /** Largest peak resident memory of any of our processes (recon runs and this harness), in MiB. */
  peak_rss_mb: number | null;
  /** Peak resident memory per measured program, in MiB, ours and theirs. */
  peak_rss_mb_by_program: Record<string, number | null>;
  targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
  skipped: Record<string, string>;
}

/** Returns a record with every figure null, to be filled in section by section. */
export function emptyResults(machine: Machine, command: string): BenchResults {
  return {
    machine,
    command,
    data_source: null,
    noop_rerun_s: null,
    noop_rerun_runs_s: [],
    snakemake_noop_runs_s: [],
    study_shape_cold_s: null,
    study_shape_instances: null,
    snakemake_noop_s: null,
    snakemake_cold_s: null,
    snakemake_jobs: null,
    noop_vs_snakemake: null,
    predict_rows_per_s: {},
    predict_rows_per_s_batch100: {},
    python_predict_rows_per_s: {},
    python_predict_rows_per_s_batch100: {},
    predict_vs_python: {},
    predict_vs_python_batch100: {},
    sampler_overhead: {},
    numpy_sampler_overhead: {},
    sampler_predict_share: {},
    chain_steps_per_s: {},
    numpy_chain_steps_per_s: {},
    sampler_vs_numpy: {},
    sampler_chains: 0,
    sampler_steps: 0,
    quickstart_cold_s: null,
    quickstart_runs_s: [],
    peak_rss_mb: null,
    peak_rss_mb_by_program: {},
    targets: {},
    skipped: {},
  };
}

/** Returns a / b, or null when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || b === 0) return null;
  return a / b;
}

type Comparison = '<=' | '<' | '>=';

const TARGETS: { field: keyof BenchResults; comparison: Comparison; bound: number }[] = [
  { field: 'noop_vs_snakemake', comparison: '<=', bound: 0.3 },
  { field: 'noop_rerun_s', comparison: '<', bound: 0.3 },
  { field: 'predict_vs_python', comparison: '>=', bound: 1.0 },
  { field: 'sampler_overhead', comparison: '<', bound: 1.25 },
  { field: 'sampler_vs_numpy', comparison: '>=', bound: 1.0 },
  { field: 'jobs2_speedup', comparison: '>=', bound: 1.7 },
  { field: 'bullmq_overhead', comparison: '<=', bound: 1.1 },
];

function meets(value: number, comparison: Comparison, bound: number): boolean {
  if (comparison === '<=') return value <= bound;
  if (comparison === '<') return value < bound;
  return value >= bound;
}

/** Fills `results.targets`: one entry per scalar target, and one per family for per-family targets. */
export function checkTargets(results: BenchResults): void {
  for (const { field, comparison, bound } of TARGETS) {
    const value = results[field] as number | null | undefined | FamilyFigures;
    const entries: [string, number | null][] =
      value !== null && typeof value === 'object' ? Object.entries(value).map(([family, v]) => [`${field}.${family}`, v]) : [[field, value ?? null]];
    for (const [name, figure] of entries) {
      results.targets[name] = { target: `${comparison} ${bound}`, value: figure, met: figure === null ? null : meets(figure, comparison, bound) };
    }
  }
}
