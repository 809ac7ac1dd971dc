/** Read-only commands: status, explain, dag and report. None of them takes the cache lock. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliOptions } from '../cli-options.js';
import { loadPipeline } from '../config/load.js';
import { buildDag } from '../dag.js';
import { renderDag } from '../dag-render.js';
import { suggestName } from '../diagnostic.js';
import { InputError } from '../errors.js';
import { describeReason, diffKeyInputs, type RerunReason } from '../explain.js';
import { currentKeyInputs } from '../plan.js';
import { openPlanContext, planRun } from '../runner.js';
import { selectInstances } from '../selection.js';

const print = (line: string): void => void process.stdout.write(`${line}\n`);

/** `recon status`: the stale instances with their reasons. */
export async function statusCommand([file]: string[], options: CliOptions): Promise<number> {
  const dag = await buildDag(loadPipeline(file));
  const plan = planRun(dag, { cacheDir: options.cacheDir, force: [], only: [] });
  const stale = plan.filter((entry) => entry.action === 'run');
  if (options.json) {
    print(JSON.stringify({ type: 'status', pipeline: dag.pipeline.name, upToDate: plan.length - stale.length, stale }));
    return 0;
  }
  for (const entry of stale) print(`stale ${entry.id}: ${entry.reasons.map(describeReason).join('; ')}`);
  print(`${dag.pipeline.name}: ${stale.length} stale, ${plan.length - stale.length} up to date`);
  return 0;
}

/** `recon explain`: the current key inputs of one instance against its last run, field by field. */
export async function explainCommand([file, id]: string[], options: CliOptions): Promise<number> {
  const dag = await buildDag(loadPipeline(file));
  const instance = dag.byId.get(id);
  if (instance === undefined) {
    const ids = [...dag.byId.keys()];
    throw new InputError(`No instance "${id}" in ${file}.`, { value: id, hint: suggestName(id, ids, 'instances') });
  }
  const entry = planRun(dag, { cacheDir: options.cacheDir, force: [], only: [instance.stage.name] }).find((p) => p.id === id)!;
  const context = openPlanContext(dag, { cacheDir: options.cacheDir, force: [] });
  const current = currentKeyInputs(selectInstances(dag, [instance.stage.name], []), instance, context);
  const previousKey = context.heads[id];
  const stored = previousKey === undefined ? undefined : context.store.readRecord(previousKey);
  const previous = stored !== undefined && 'keyInputs' in stored ? stored : undefined;
  let reasons = entry.reasons;
  if (entry.action === 'run' && previous !== undefined) reasons = mergeReasons(entry.reasons, diffKeyInputs(previous.keyInputs, current));
  if (options.json) {
    print(JSON.stringify({ type: 'explain', id, action: entry.action, key: entry.key, previousKey, reasons, current, previous: previous?.keyInputs }));
    return 0;
  }
  print(`${id}: ${entry.action === 'cached' ? 'up to date' : 'reruns'}${entry.key ? ` (key ${entry.key.slice(0, 12)})` : ''}`);
  for (const reason of reasons) print(`  ${describeReason(reason)}`);
  if (previous !== undefined) {
    print(`  last run: key ${previous.key.slice(0, 12)}, ${previous.timings.startedAt}, ${previous.timings.wallMs} ms, outputs: ${Object.keys(previous.outputs).join(', ') || 'none'}`);
  }
  return 0;
}

/**
 * Joins the plan's reasons with the field-by-field differences, one line per cause. An input that
 * will be recomputed has no hash yet, so its "changed" difference would repeat the pending reason.
 */
function mergeReasons(planned: RerunReason[], fields: RerunReason[]): RerunReason[] {
  const pending = new Set(planned.flatMap((r) => (r.reason === 'upstream-pending' ? [r.input] : [])));
  const shown = new Set(planned.map(describeReason));
  const extra = fields.filter((f) => !(f.reason === 'input-changed' && pending.has(f.input)) && !shown.has(describeReason(f)));
  return [...planned.filter((r) => r.reason !== 'no-run-record'), ...extra];
}

/** `recon dag`: the stage graph as Mermaid or DOT. */
export async function dagCommand([file]: string[], options: CliOptions): Promise<number> {
  const dag = await buildDag(loadPipeline(file));
  print(renderDag(dag, options.format));
  return 0;
}

/** `recon report`: the path of the HTML report, when it exists. */
export async function reportCommand([file]: string[], options: CliOptions): Promise<number> {
  const pipeline = loadPipeline(file);
  const html = resolve(join(options.artifactsDir, pipeline.name, 'report.html'));
  if (!existsSync(html)) throw new InputError(`No report at ${html}.`, { value: html, hint: pipeline.report ? `run recon run ${file} first` : 'add report: <stage> to the pipeline' });
  print(html);
  return 0;
}
