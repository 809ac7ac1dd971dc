/** `recon run`: validate, plan, lock, execute, copy artifacts, write the report. */
import type { CliOptions } from '../cli-options.js';
import { loadPipeline } from '../config/load.js';
import { buildDag } from '../dag.js';
import type { RunEvent } from '../event.js';
import { describeReason } from '../explain.js';
import { acquireLock } from '../lock.js';
import { chooseLogger } from '../logging/choose.js';
import { writePipelineReport } from '../report-hook.js';
import { planRun, runPipeline } from '../runner.js';

export async function runCommand([file]: string[], options: CliOptions): Promise<number> {
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
  const release = await acquireLock(options.cacheDir, { waitSeconds: options.wait, command: `recon run ${file}`, emit });
  try {
    const result = await runPipeline(dag, { ...options, signal: controller.signal, emit, jobs: Math.max(1, options.jobs) });
    const { summary } = result;
    if (summary.interrupted) return 130;
    if (summary.failed > 0) return summary.inputError ? 2 : 1;
    if (dag.pipeline.report !== undefined && summary.executed > 0) await writePipelineReport(dag, result, options, emit);
    return 0;
  } finally {
    release();
    logger.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printPlan(dag: Awaited<ReturnType<typeof buildDag>>, options: CliOptions): number {
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
