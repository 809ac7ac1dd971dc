/**
 * Stage-level checks of a loaded pipeline against the stage definitions: kinds, axes, inputs,
 * parameter names, shell placeholders, the report stage and cycles. Per-instance checks (values
 * of parameters after interpolation) happen while the DAG is expanded, in dag.ts.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { suggestName, type Diagnostic } from '../diagnostic.js';
import { isCustomModule, listBuiltinKinds, loadStageKind, type StageKind } from './stage-kinds.js';
import type { Pipeline, StageSpec } from './types.js';

/** A pipeline whose stages passed the stage-level checks, with each `uses` resolved. */
export interface CheckedPipeline {
  pipeline: Pipeline;
  /** Stage name -> kind, for `uses` stages. */
  kinds: Map<string, StageKind>;
  /** Stage names in a dependency order (inputs first), ties broken by file order. */
  stageOrder: string[];
}

/** Runs the stage-level checks; returns the diagnostics found (empty when valid). */
export async function checkPipeline(pipeline: Pipeline): Promise<{ checked: CheckedPipeline; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const kinds = new Map<string, StageKind>();
  for (const stage of pipeline.stages) {
    if (stage.uses === undefined) continue;
    const result = await loadStageKind(stage.uses, pipeline.dir);
    if (result.ok) kinds.set(stage.name, result.value);
    else diagnostics.push(pipeline.source.error(['stages', stage.name, 'uses'], result.message, result.hint ?? kindHint(stage.uses) ?? 'fix the module so that it loads, and export a StageDefinition as its default export'));
  }
  for (const stage of pipeline.stages) diagnostics.push(...checkStage(pipeline, stage, kinds.get(stage.name)));
  if (pipeline.report !== undefined && !pipeline.stages.some((stage) => stage.name === pipeline.report)) {
    diagnostics.push(pipeline.source.error(['report'], `Unknown report stage "${pipeline.report}".`, suggestName(pipeline.report, stageNames(pipeline), 'stages here')));
  }
  const order = orderStages(pipeline);
  if ('cycle' in order) {
    const [first, second] = order.cycle;
    const wire = pipeline.stages.find((s) => s.name === first)?.inputs.find((i) => i.stage === second);
    diagnostics.push(pipeline.source.error(['stages', first, 'inputs', wire?.name ?? ''], `Stages form a cycle: ${order.cycle.join(' -> ')}.`, 'remove one of these inputs so that the stages form a DAG'));
  }
  return { checked: { pipeline, kinds, stageOrder: 'order' in order ? order.order : [] }, diagnostics };
}

function kindHint(uses: string): string | undefined {
  if (isCustomModule(uses)) return undefined;
  return suggestName(uses, listBuiltinKinds(), 'built-in kinds') + '; or a module path such as ./my-stage.mjs';
}

const stageNames = (pipeline: Pipeline): string[] => pipeline.stages.map((stage) => stage.name);

function checkStage(pipeline: Pipeline, stage: StageSpec, kind: StageKind | undefined): Diagnostic[] {
  const path = ['stages', stage.name];
  const out: Diagnostic[] = [];
  const axes = pipeline.matrix.map((axis) => axis.name);
  stage.foreach.forEach((axis, index) => {
    if (!axes.includes(axis)) out.push(pipeline.source.error([...path, 'foreach', index], `Unknown matrix axis "${axis}" in foreach.`, suggestName(axis, axes, 'axes')));
  });
  const seen = new Set<string>();
  stage.foreach.forEach((axis, index) => {
    if (seen.has(axis)) out.push(pipeline.source.error([...path, 'foreach', index], `Axis "${axis}" appears twice in foreach.`, 'list each axis once'));
    seen.add(axis);
  });
  for (const wire of stage.inputs) out.push(...checkInput(pipeline, stage, wire.name));
  if (kind) out.push(...checkAgainstDefinition(pipeline, stage, kind));
  if (stage.run !== undefined) out.push(...checkShellPlaceholders(pipeline, stage));
  stage.deps.forEach((dep, index) => {
    if (!existsSync(resolve(pipeline.dir, dep))) out.push(pipeline.source.error([...path, 'deps', index], `Dep file "${dep}" not found (looked for ${resolve(pipeline.dir, dep)}).`, 'deps are paths relative to the pipeline file'));
  });
  return out;
}

function checkInput(pipeline: Pipeline, stage: StageSpec, name: string): Diagnostic[] {
  const wire = stage.inputs.find((w) => w.name === name)!;
  const path = ['stages', stage.name, 'inputs', name];
  const upstream = pipeline.stages.find((s) => s.name === wire.stage);
  if (upstream === undefined) {
    return [pipeline.source.error(path, `Unknown stage "${wire.stage}" in input "${name}".`, suggestName(wire.stage, stageNames(pipeline), 'stages here'))];
  }
  if (wire.many) return [];
  const extra = upstream.foreach.filter((axis) => !stage.foreach.includes(axis));
  if (extra.length === 0) return [];
  return [
    pipeline.source.error(
      path,
      `Input "${name}" takes one instance of "${wire.stage}", but "${wire.stage}" iterates over ${extra.join(', ')}, which "${stage.name}" does not.`,
      `write ${wire.stage}[*] to take every matching instance, or add ${extra.join(', ')} to this stage's foreach`,
    ),
  ];
}

function checkAgainstDefinition(pipeline: Pipeline, stage: StageSpec, kind: StageKind): Diagnostic[] {
  const path = ['stages', stage.name];
  const out: Diagnostic[] = [];
  const { params, inputs } = kind.definition;
  const declared = Object.keys(inputs);
  if (kind.declaresInputs) {
    for (const wire of stage.inputs) {
      const spec = inputs[wire.name];
      if (spec === undefined) {
        out.push(pipeline.source.error([...path, 'inputs', wire.name], `Stage kind "${kind.uses}" has no input "${wire.name}".`, suggestName(wire.name, declared, 'its inputs'), 'key'));
      } else if (wire.many && !spec.many) {
        out.push(pipeline.source.error([...path, 'inputs', wire.name], `Input "${wire.name}" of stage kind "${kind.uses}" takes one instance, not ${wire.stage}[*].`, `write ${wire.stage} without [*]`));
      }
    }
    for (const [name, spec] of Object.entries(inputs)) {
      if (spec.optional || stage.inputs.some((wire) => wire.name === name)) continue;
      const example = spec.many ? `${name}: <stage>[*]` : `${name}: <stage>`;
      out.push(pipeline.source.error(path, `Stage "${stage.name}" (kind "${kind.uses}") is missing required input "${name}" (${spec.description}).`, `add inputs: { ${example} }`, 'key'));
    }
  }
  if (kind.declaresParams) {
    for (const name of Object.keys(stage.params)) {
      if (params[name] === undefined) {
        out.push(pipeline.source.error([...path, 'params', name], `Stage kind "${kind.uses}" has no parameter "${name}".`, suggestName(name, Object.keys(params), 'its parameters'), 'key'));
      }
    }
  }
  return out;
}

const SHELL_PLACEHOLDER = /\{(inputs|outputs|params|coords)\.([^}]+)\}/g;

function checkShellPlaceholders(pipeline: Pipeline, stage: StageSpec): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names: Record<string, string[]> = {
    inputs: stage.inputs.map((wire) => wire.name),
    outputs: Object.keys(stage.outputs),
    params: Object.keys(stage.params),
    coords: stage.foreach,
  };
  for (const match of (stage.run ?? '').matchAll(SHELL_PLACEHOLDER)) {
    const [text, group, name] = match;
    if (names[group].includes(name)) continue;
    out.push(pipeline.source.error(['stages', stage.name, 'run'], `Placeholder ${text} names no ${group.slice(0, -1)} of stage "${stage.name}".`, suggestName(name, names[group], `its ${group}`)));
  }
  return out;
}

/** Orders stages so that inputs come first; returns the cycle's path when there is one. */
export function orderStages(pipeline: Pipeline): { order: string[] } | { cycle: string[] } {
  const byName = new Map(pipeline.stages.map((stage) => [stage.name, stage]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const wire of byName.get(name)?.inputs ?? []) {
      if (!byName.has(wire.stage)) continue;
      const cycle = visit(wire.stage);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    order.push(name);
    return undefined;
  };
  for (const stage of pipeline.stages) {
    const cycle = visit(stage.name);
    if (cycle) return { cycle };
  }
  return { order };
}
