/**
 * The comparison side: bench/python/*.py (scikit-learn, xgboost, NumPy) and bench/snakemake/,
 * run as child processes with the Debian interpreter that has their packages.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, runProcess } from './measure.js';

/** bench/ in the source tree; this module runs from dist/bench/lib/. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench');

/** One BLAS and OpenMP thread for the Python processes only, so their figures are per core like ours; no __pycache__ in bench/. */
const SINGLE_THREAD_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };

interface PythonBatch {
  rows_per_s: number;
  us_per_row: number;
}

export interface PythonPredict {
  source: string;
  python: string;
  versions: Record<string, string>;
  families: Record<string, { train_s: number; batches: Record<string, PythonBatch> }>;
}

export interface PythonSampler {
  chains: number;
  steps: number;
  families: Record<string, { chain_steps_per_s: number; us_per_chain_step: number; predict_share: number; acceptance: number }>;
}

export interface SnakemakeResult {
  version: string;
  jobs: number;
  cold_s: number;
  noop_s: number[];
  noop_median_s: number;
  peak_rss_mb: number;
}

/** Returns the last non-empty line of a program's stderr: the exception message of a Python traceback. */
function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

async function runPython<T>(python: string, script: string, args: string[]): Promise<{ result: T; peakRssMb: number | null }> {
  const run = await runProcess(python, [join(BENCH_DIR, script), ...args], { env: SINGLE_THREAD_ENV });
  if (run.exitCode !== 0) throw new Error(`${script} exited with code ${run.exitCode}: ${lastLine(run.stderr)}`);
  return { result: lastJsonLine<T>(run.stdout, script), peakRssMb: run.peakRssMb };
}

/** Runs bench/python/predict.py on the harness's CSV. */
export function runPythonPredict(python: string, csv: string, batches: readonly number[], repeats: number) {
  return runPython<PythonPredict>(python, 'python/predict.py', ['--data', csv, '--batches', batches.join(','), '--repeats', String(repeats)]);
}

/** Runs bench/python/sampler.py on the harness's CSV. */
export function runPythonSampler(python: string, csv: string, chains: number, steps: number, repeats: number) {
  return runPython<PythonSampler>(python, 'python/sampler.py', ['--data', csv, '--chains', String(chains), '--steps', String(steps), '--repeats', String(repeats)]);
}

/** Runs the study-shaped Snakefile cold at -j2 in `workdir`, then `repeats` timed no-op reruns. */
export async function runSnakemake(python: string, workdir: string, repeats: number): Promise<SnakemakeResult> {
  const run = await runProcess(python, [join(BENCH_DIR, 'snakemake', 'driver.py'), workdir, '--repeats', String(repeats), '--jobs', '2']);
  if (run.exitCode !== 0) throw new Error(`snakemake driver exited with code ${run.exitCode}: ${lastLine(run.stderr)}`);
  return lastJsonLine<SnakemakeResult>(run.stdout, 'snakemake driver');
}
