/**
 * Benchmark sections for whole `recon run` processes: no-op reruns of the study-shaped fixture
 * against Snakemake, a cold quickstart, and (opt-in) the cold study at --jobs 1 and 2.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { median } from './measure.js';
import { maxOrNull, REPO_DIR, createWorkspace, timeColdRun, timeNoopRerun, type ColdTiming } from './pipelines.js';
import { ratio, type BenchResults } from './results.js';
import { runSnakemake } from './theirs.js';

export interface PipelineContext {
  results: BenchResults;
  /** Debian Python with the snakemake module, or why there is none. */
  snakemakePython: { path: string } | { missing: string };
  repeats: number;
  log(message: string): void;
}

const STUDY_SHAPE = join(REPO_DIR, 'bench', 'fixtures', 'study-shape.yaml');
const QUICKSTART = join(REPO_DIR, 'pipelines', 'quickstart.yaml');
const STUDY = join(REPO_DIR, 'pipelines', 'study.yaml');

function recordOurMemory(results: BenchResults, program: string, peakRssMb: number | null): void {
  results.peak_rss_mb_by_program[program] = maxOrNull(results.peak_rss_mb_by_program[program] ?? null, peakRssMb);
  results.peak_rss_mb = maxOrNull(results.peak_rss_mb, peakRssMb);
}

function message(error: unknown): string {
  return (error as Error).message;
}

/** Times our no-op rerun of the study-shaped fixture and Snakemake's on the same DAG shape. */
export async function noopSection(context: PipelineContext): Promise<void> {
  const { results, repeats } = context;
  if (!existsSync(STUDY_SHAPE)) {
    results.skipped.noop_rerun_s = `${STUDY_SHAPE} is missing`;
  } else {
    context.log(`recon: cold run of the study-shaped fixture, then ${repeats} no-op reruns`);
    try {
      const timing = await timeNoopRerun(STUDY_SHAPE, repeats);
      results.noop_rerun_s = timing.noopMedianS;
      results.noop_rerun_runs_s = timing.noopS;
      results.study_shape_cold_s = timing.coldS;
      results.study_shape_instances = timing.instances;
      recordOurMemory(results, 'recon run study-shape', timing.peakRssMb);
    } catch (error) {
      results.skipped.noop_rerun_s = message(error);
    }
  }
  if ('missing' in context.snakemakePython) {
    results.skipped.snakemake_noop_s = context.snakemakePython.missing;
  } else {
    context.log(`snakemake: cold run of the same DAG shape at -j2, then ${repeats} no-op reruns`);
    const workspace = await createWorkspace();
    try {
      const snakemake = await runSnakemake(context.snakemakePython.path, workspace.dir, repeats);
      results.snakemake_noop_s = snakemake.noop_median_s;
      results.snakemake_noop_runs_s = snakemake.noop_s;
      results.snakemake_cold_s = snakemake.cold_s;
      results.snakemake_jobs = snakemake.jobs;
      results.peak_rss_mb_by_program['snakemake'] = snakemake.peak_rss_mb;
    } catch (error) {
      results.skipped.snakemake_noop_s = message(error);
    } finally {
      await workspace.remove();
    }
  }
  results.noop_vs_snakemake = ratio(results.noop_rerun_s, results.snakemake_noop_s);
  if (results.noop_vs_snakemake === null) results.skipped.noop_vs_snakemake = 'needs both no-op figures';
}

/** Times a cold run of pipelines/quickstart.yaml in a fresh cache (median of five when under 10 s). */
export async function quickstartSection(context: PipelineContext): Promise<void> {
  const { results } = context;
  if (!existsSync(QUICKSTART)) {
    results.skipped.quickstart_cold_s = `${QUICKSTART} is missing`;
    return;
  }
  context.log('recon: cold run of pipelines/quickstart.yaml');
  try {
    const timing = await timeColdRun(QUICKSTART, [], (seconds) => context.log(`  quickstart cold run: ${seconds.toFixed(2)} s`));
    results.quickstart_cold_s = timing.medianS;
    results.quickstart_runs_s = timing.runsS;
    recordOurMemory(results, 'recon run quickstart', timing.peakRssMb);
  } catch (error) {
    results.skipped.quickstart_cold_s = message(error);
  }
}

/** Rounds of the --study comparison; each round runs --jobs 2 then --jobs 1, so load drift hits both. */
const STUDY_ROUNDS = 3;

/**
 * Times cold runs of `pipeline` (default pipelines/study.yaml) at --jobs 2 and --jobs 1, alternating
 * over STUDY_ROUNDS rounds. Downloads are off, so a dataset missing from $RECON_DATA_DIR makes the
 * figures skipped with recon's error.
 */
export async function studySection(context: PipelineContext, pipeline = STUDY): Promise<void> {
  const { results } = context;
  results.study_pipeline = relative(REPO_DIR, pipeline);
  results.study_cold_s = null;
  results.study_cold_jobs1_s = null;
  results.jobs2_speedup = null;
  results.study_cores_busy = { jobs2: null, jobs1: null };
  const runs: Record<'jobs2' | 'jobs1', ColdTiming[]> = { jobs2: [], jobs1: [] };
  try {
    for (let round = 1; round <= STUDY_ROUNDS; round++) {
      for (const jobs of [2, 1] as const) {
        context.log(`recon: cold run of ${results.study_pipeline} at --jobs ${jobs} (round ${round} of ${STUDY_ROUNDS})`);
        const timing = await timeColdRun(pipeline, ['--jobs', String(jobs)], (seconds) => context.log(`  cold run: ${seconds.toFixed(1)} s`));
        runs[`jobs${jobs}`].push(timing);
        recordOurMemory(results, `recon run study --jobs ${jobs}`, timing.peakRssMb);
      }
    }
  } catch (error) {
    results.skipped.study_cold_s = message(error);
    return;
  }
  results.study_cold_s = median(runs.jobs2.flatMap((timing) => timing.runsS));
  results.study_cold_jobs1_s = median(runs.jobs1.flatMap((timing) => timing.runsS));
  results.study_cores_busy = { jobs2: medianOrNull(runs.jobs2.map((t) => t.coresBusy)), jobs1: medianOrNull(runs.jobs1.map((t) => t.coresBusy)) };
  results.jobs2_speedup = ratio(results.study_cold_jobs1_s, results.study_cold_s);
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length > 0 ? median(known) : null;
}
