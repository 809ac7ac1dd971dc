/** `recon run`: validate, plan, lock, execute, copy artifacts, write the report. */
import { resolve } from 'node:path';
import type { CliOptions } from '../cli-options.js';
import { loadPipeline } from '../config/load.js';
import { buildDag, type Dag } from '../dag.js';
import { DiagnosticError } from '../diagnostic.js';
import { InputError, type SourceLocation } from '../errors.js';
import type { EventSink, RunEvent, RunSummary } from '../event.js';
import { describeReason } from '../explain.js';
import { acquireLock } from '../lock.js';
import { chooseLogger } from '../logging/choose.js';
import { writePipelineReport } from '../report-hook.js';
import { planRun, runPipeline } from '../runner.js';

/** The line `run --json` prints on stdout when the command fails before or outside the stages. */
export interface JsonErrorLine {
  type: 'error';
  message: string;
  location?: SourceLocation;
  hint?: string;
  /** The exit code the command line returns for this error. */
  exitCode: number;
}

export async function runCommand([file]: string[], options: CliOptions): Promise<number> {
  try {
    return await runChecked(file, options);
  } catch (error) {
    // The command line still prints the message for people on stderr.
    if (options.json) process.stdout.write(`${JSON.stringify(jsonError(error))}\n`);
    throw error;
  }
}

async function runChecked(file: string, options: CliOptions): Promise<number> {
  const dag = await buildDag(loadPipeline(file));
  if (options.dryRun) return printPlan(dag, options);
  const logger = await chooseLogger(options.json);
  const emit = (event: RunEvent): void => logger.log(event);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    emit({ type: 'interrupted', signal });
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const release = await acquireLock(options.cacheDir, { waitSeconds: options.wait, command: `recon run ${file}`, emit });
    try {
      setDownloadDir(options.cacheDir);
      const result = await runPipeline(dag, { ...options, signal: controller.signal, emit, jobs: Math.max(1, options.jobs) });
      const reportCode = await maybeWriteReport(dag, result, options, emit);
      emit({ type: 'run-end', summary: result.summary });
      return Math.max(exitCode(result.summary), reportCode);
    } finally {
      release();
    }
  } finally {
    logger.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Points downloads into the cache directory unless RECON_DOWNLOAD_DIR is set, so that
 * `--cache-dir` moves them too. Worker threads copy process.env when they start, and the run
 * starts them after this call.
 */
function setDownloadDir(cacheDir: string): void {
  if (!process.env.RECON_DOWNLOAD_DIR) process.env.RECON_DOWNLOAD_DIR = resolve(cacheDir, 'downloads');
}

function exitCode(summary: RunSummary): number {
  if (summary.interrupted) return 130;
  if (summary.failed > 0) return summary.inputError ? 2 : 1;
  return 0;
}

/**
 * Writes the report after a run that executed or failed something; a no-op run leaves the last
 * report as it is. Returns the exit code a failed report write adds (0, 1, or 2 for a disk error).
 */
async function maybeWriteReport(dag: Dag, result: Awaited<ReturnType<typeof runPipeline>>, options: CliOptions, emit: EventSink): Promise<number> {
  const { summary } = result;
  if (dag.pipeline.report === undefined) return 0;
  if (summary.interrupted) {
    emit({ type: 'report-skipped', reason: 'the run was interrupted. The previous report, if any, is left in place' });
    return 0;
  }
  if (summary.executed === 0 && summary.failed === 0) return 0;
  try {
    await writePipelineReport(dag, result, options, emit);
    return 0;
  } catch (error) {
    emit({ type: 'report-skipped', reason: `writing the report failed: ${error instanceof Error ? error.message : String(error)}` });
    return error instanceof InputError ? 2 : 1;
  }
}

/** Describes an error as cli.ts prints it, with the exit code cli.ts returns for it. */
function jsonError(error: unknown): JsonErrorLine {
  if (error instanceof DiagnosticError) {
    const first = error.diagnostics[0];
    const count = error.diagnostics.length;
    const message = count === 1 ? first.message : `${first.message} (and ${count - 1} more error${count === 2 ? '' : 's'}; nothing was run)`;
    const { file, line, column } = first.location;
    return { type: 'error', message, location: { file, line, column }, hint: first.hint, exitCode: 2 };
  }
  if (error instanceof InputError) return { type: 'error', message: error.message, location: error.location, hint: error.hint, exitCode: 2 };
  return { type: 'error', message: `Internal error: ${error instanceof Error ? error.message : String(error)}`, exitCode: 1 };
}

function printPlan(dag: Dag, options: CliOptions): number {
  const plan = planRun(dag, options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ type: 'plan', pipeline: dag.pipeline.name, instances: plan })}\n`);
    return 0;
  }
  for (const entry of plan) {
    const reason = entry.action === 'cached' ? 'up to date' : entry.reasons.map(describeReason).join('; ');
    process.stdout.write(`${entry.action === 'run' ? 'run   ' : 'cached'} ${entry.id}: ${reason}\n`);
  }
  const toRun = plan.filter((entry) => entry.action === 'run').length;
  process.stdout.write(`${toRun} to run, ${plan.length - toRun} up to date\n`);
  return 0;
}
