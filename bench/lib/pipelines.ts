/**
 * Whole-process timings of `recon run`: cold runs in fresh cache and artifact directories, and
 * no-op reruns of an up-to-date pipeline. Each figure is the wall time of the `node bin/recon.js`
 * process, start-up included, because that is what a user waits for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, lastJsonLine, runProcess } from './measure.js';
import { BENCH_DIR } from './theirs.js';

export const REPO_DIR = join(BENCH_DIR, '..');
const RECON_BIN = join(REPO_DIR, 'bin', 'recon.js');

/** Runs under ten seconds are repeated to this count and reported as a median. */
const MIN_REPEATS = 5;
const REPEAT_BELOW_S = 10;

interface RunSummary {
  executed: number;
  cached: number;
  failed: number;
  skipped: number;
}

export interface ReconRun {
  wallS: number;
  cpuS: number | null;
  peakRssMb: number | null;
  summary: RunSummary;
}

/** Fresh cache, artifact and download directories for one cold run; `remove` deletes them. */
export interface Workspace {
  dir: string;
  remove(): Promise<void>;
}

export async function createWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-bench-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Environment of recon processes in `workspace`: downloads off, download directory inside it. */
export function reconEnv(workspace: Workspace): NodeJS.ProcessEnv {
  return { ...process.env, RECON_OFFLINE: '1', RECON_DOWNLOAD_DIR: join(workspace.dir, 'downloads') };
}

/**
 * Runs `recon run <pipeline> --json` against the workspace's directories. Downloads are disabled
 * (RECON_OFFLINE=1), so a dataset missing from $RECON_DATA_DIR fails the run instead of fetching it.
 */
export async function reconRun(pipeline: string, workspace: Workspace, extraArgs: readonly string[] = []): Promise<ReconRun> {
  const args = [RECON_BIN, 'run', pipeline, '--json', '--cache-dir', join(workspace.dir, 'cache'), '--artifacts-dir', join(workspace.dir, 'artifacts'), ...extraArgs];
  const run = await runProcess(process.execPath, args, { cwd: workspace.dir, env: reconEnv(workspace) });
  if (run.exitCode !== 0) {
    throw new Error(`recon run ${pipeline} exited with code ${run.exitCode}: ${run.stderr.trim().slice(-600)}`);
  }
  return { wallS: run.wallS, cpuS: run.cpuS, peakRssMb: run.peakRssMb, summary: lastJsonLine<RunSummary>(run.stdout, 'recon run') };
}

export interface NoopTiming {
  coldS: number;
  instances: number;
  noopS: number[];
  noopMedianS: number;
  peakRssMb: number | null;
}

/** Runs `pipeline` cold once, then `repeats` no-op reruns, each checked to execute nothing. */
export async function timeNoopRerun(pipeline: string, repeats: number, extraArgs: readonly string[] = []): Promise<NoopTiming> {
  const workspace = await createWorkspace();
  try {
    const cold = await reconRun(pipeline, workspace, extraArgs);
    const noopS: number[] = [];
    let peakRssMb = cold.peakRssMb;
    for (let r = 0; r < repeats; r++) {
      const rerun = await reconRun(pipeline, workspace, extraArgs);
      if (rerun.summary.executed !== 0) throw new Error(`a no-op rerun of ${pipeline} executed ${rerun.summary.executed} instances; expected 0`);
      noopS.push(rerun.wallS);
      peakRssMb = maxOrNull(peakRssMb, rerun.peakRssMb);
    }
    const instances = cold.summary.executed + cold.summary.cached;
    return { coldS: cold.wallS, instances, noopS, noopMedianS: median(noopS), peakRssMb };
  } finally {
    await workspace.remove();
  }
}

export interface ColdTiming {
  runsS: number[];
  medianS: number;
  /** CPU seconds / wall seconds of the median run: how many cores the run kept busy on average. */
  coresBusy: number | null;
  instances: number;
  peakRssMb: number | null;
}

/** Runs `pipeline` cold in a fresh workspace; repeats to five runs when the first takes under ten seconds. */
export async function timeColdRun(pipeline: string, extraArgs: readonly string[] = [], onRun?: (seconds: number) => void): Promise<ColdTiming> {
  const runsS: number[] = [];
  const coresBusy: (number | null)[] = [];
  let peakRssMb: number | null = null;
  let instances = 0;
  do {
    const workspace = await createWorkspace();
    try {
      const run = await reconRun(pipeline, workspace, extraArgs);
      runsS.push(run.wallS);
      coresBusy.push(run.cpuS === null ? null : run.cpuS / run.wallS);
      instances = run.summary.executed;
      peakRssMb = maxOrNull(peakRssMb, run.peakRssMb);
      onRun?.(run.wallS);
    } finally {
      await workspace.remove();
    }
  } while (runsS[0] < REPEAT_BELOW_S && runsS.length < MIN_REPEATS);
  const medianS = median(runsS);
  return { runsS, medianS, coresBusy: coresBusy[runsS.indexOf(medianS)] ?? null, instances, peakRssMb };
}

export function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
