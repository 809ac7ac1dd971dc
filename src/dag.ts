/**
 * The instance graph: every stage expanded over the matrix axes it iterates over, each instance
 * with a stable readable id, resolved params and the ids of the instances it takes as inputs.
 */
import { canonicalJson } from './canonical-json.js';
import { checkPipeline, type CheckedPipeline } from './config/check.js';
import { resolveParams, type ResolvedParams } from './config/params.js';
import type { StageKind } from './config/stage-kinds.js';
import type { Pipeline, StageSpec } from './config/types.js';
import { DiagnosticError, type Diagnostic } from './diagnostic.js';
import { InputError } from './errors.js';
import type { InterpolationScope } from './interpolate.js';
import type { JsonObject, JsonValue } from './stage-api.js';
import { relative } from 'node:path';

export interface InstanceInput {
  name: string;
  /** True for `stage[*]`: the stage receives a list. */
  many: boolean;
  ids: string[];
}

export interface Instance {
  /** `sample[iris,mlp,labelNoise=0,seed=1,gaussian-shift-1]`, or the stage name without foreach. */
  id: string;
  /** Part of the id inside the brackets; empty for a stage without foreach. */
  label: string;
  stage: StageSpec;
  /** Undefined for shell stages. */
  kind?: StageKind;
  coords: JsonObject;
  params: JsonObject;
  inputs: InstanceInput[];
}

export interface Dag {
  pipeline: Pipeline;
  /** In a dependency order: every instance comes after its inputs. */
  instances: Instance[];
  byId: Map<string, Instance>;
  byStage: Map<string, Instance[]>;
}

/** Checks a pipeline and expands it into instances; raises DiagnosticError on any error. */
export async function buildDag(pipeline: Pipeline): Promise<Dag> {
  const { checked, diagnostics } = await checkPipeline(pipeline);
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  return expand(checked);
}

function expand({ pipeline, kinds, stageOrder }: CheckedPipeline): Dag {
  const diagnostics = new Map<string, Diagnostic>();
  const byId = new Map<string, Instance>();
  const byStage = new Map<string, Instance[]>();
  const instances: Instance[] = [];
  const inputIndex: InputIndex = new Map();
  const pipelineDir = relative(process.cwd(), pipeline.dir) || '.';
  const report = (d: Diagnostic): void => void diagnostics.set(`${d.location.line}:${d.location.column}:${d.message}`, d);
  // Every instance's interpolation scope shares these; resolving params only reads them.
  const { matrixAxes, roots } = sharedScope(pipeline, pipelineDir);
  for (const stageName of stageOrder) {
    const stage = pipeline.stages.find((s) => s.name === stageName)!;
    const list: Instance[] = [];
    const validated = new Set<string>();
    for (const coords of combinations(pipeline, stage.foreach)) {
      const scope = { coords, matrixAxes, roots };
      const resolved = resolveParams(pipeline, stage, kinds.get(stage.name), scope);
      resolved.diagnostics.forEach(report);
      if (resolved.diagnostics.length === 0) validateParams(pipeline, stage, kinds.get(stage.name), resolved, validated)?.forEach(report);
      const label = formatLabel(pipeline, coords);
      const id = label === '' ? stage.name : `${stage.name}[${label}]`;
      const instance: Instance = { id, label, stage, kind: kinds.get(stage.name), coords, params: resolved.params, inputs: wireInputs(stage, coords, byStage, inputIndex) };
      if (byId.has(id)) {
        const d = pipeline.source.error(['stages', stage.name], `Two instances of stage "${stage.name}" have the same id ${id}.`, 'make the matrix values format differently (ids join object values with "-")', 'key');
        diagnostics.set(`dup:${id}`, d);
      }
      byId.set(id, instance);
      list.push(instance);
      instances.push(instance);
    }
    byStage.set(stage.name, list);
  }
  if (diagnostics.size > 0) throw new DiagnosticError([...diagnostics.values()]);
  return { pipeline, instances, byId, byStage };
}

/**
 * Runs the stage definition's validate() once per distinct params object of a stage; returns a
 * diagnostic at the YAML node the error's path leads to.
 */
function validateParams(pipeline: Pipeline, stage: StageSpec, kind: StageKind | undefined, resolved: ResolvedParams, seen: Set<string>): Diagnostic[] | undefined {
  const validate = kind?.definition.validate;
  if (validate === undefined) return undefined;
  const encoded = canonicalJson(resolved.params);
  if (seen.has(encoded)) return undefined;
  seen.add(encoded);
  try {
    validate(resolved.params);
    return undefined;
  } catch (thrown) {
    // Custom modules cannot import the engine's class, so an Error named InputError counts too.
    if (thrown instanceof InputError || (thrown as Error | undefined)?.name === 'InputError') {
      return [validationDiagnostic(pipeline, stage, kind!, resolved, thrown as Partial<InputError>)];
    }
    const message = `validate() of stage kind "${kind!.uses}" failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
    return [pipeline.source.error(['stages', stage.name, 'uses'], message, 'validate() must throw InputError for bad params; fix the stage module')];
  }
}

/** Places a validate() error at the node of `error.path`, following interpolation back to its source. */
function validationDiagnostic(pipeline: Pipeline, stage: StageSpec, kind: StageKind, resolved: ResolvedParams, error: Partial<InputError>): Diagnostic {
  const [param, ...keys] = Array.isArray(error.path) ? error.path : [];
  const base = param === undefined ? undefined : resolved.origins[String(param)];
  const where = base === undefined ? ['stages', stage.name] : [...base, ...keys];
  const text = String(error.message);
  const offending = typeof error.value === 'string' ? error.value : undefined;
  const message = offending === undefined || text.includes(offending) ? text : `${text.replace(/\.$/, '')} (found ${offending}).`;
  return pipeline.source.error(where, message, error.hint ?? `see the description of stage kind "${kind.uses}"`);
}

/** Lists every combination of the values of `axes`, in the matrix's axis order. */
function combinations(pipeline: Pipeline, axes: string[]): JsonObject[] {
  let result: JsonObject[] = [{}];
  for (const axis of pipeline.matrix) {
    if (!axes.includes(axis.name)) continue;
    result = result.flatMap((partial) => axis.values.map((value) => ({ ...partial, [axis.name]: value })));
  }
  return result;
}

function sharedScope(pipeline: Pipeline, dir: string): Omit<InterpolationScope, 'coords'> {
  return {
    matrixAxes: pipeline.matrix.map((axis) => axis.name),
    roots: { vars: pipeline.vars, datasets: pipeline.datasets, models: pipeline.models, pipeline: { name: pipeline.name, dir } },
  };
}

/** Formats coordinates as an id label, in the matrix's axis order. */
export function formatLabel(pipeline: Pipeline, coords: JsonObject): string {
  // A plain loop: this runs once per instance, and large matrices have thousands.
  let label = '';
  let first = true;
  for (const axis of pipeline.matrix) {
    if (!(axis.name in coords)) continue;
    label += (first ? '' : ',') + formatAxisValue(axis.name, coords[axis.name]);
    first = false;
  }
  return label;
}

const objectLabels = new WeakMap<object, string>();

function formatAxisValue(axis: string, value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // Coordinates share the matrix's value objects, so each is formatted once.
    let label = objectLabels.get(value);
    if (label === undefined) {
      label = Object.entries(value)
        .map(([key, item]) => (typeof item === 'string' ? item : `${key}-${String(item)}`))
        .join('-');
      objectLabels.set(value, label);
    }
    return label;
  }
  return `${axis}=${String(value)}`;
}

function wireInputs(stage: StageSpec, coords: JsonObject, byStage: Map<string, Instance[]>, index: InputIndex): InstanceInput[] {
  return stage.inputs.map((wire) => {
    const upstream = byStage.get(wire.stage) ?? [];
    const shared = upstream[0] ? Object.keys(upstream[0].coords).filter((axis) => axis in coords) : [];
    const cacheKey = `${wire.stage}|${shared.join(',')}`;
    let groups = index.get(cacheKey);
    if (groups === undefined) {
      groups = new Map();
      for (const instance of upstream) {
        const key = coordsKey(shared, instance.coords);
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [instance.id]);
        else group.push(instance.id);
      }
      index.set(cacheKey, groups);
    }
    const ids = groups.get(coordsKey(shared, coords)) ?? [];
    return { name: wire.name, many: wire.many, ids };
  });
}

const valueKeys = new WeakMap<object, string>();

/** Identifies coordinates on `axes`; object values are encoded once, since coords share them. */
function coordsKey(axes: string[], coords: JsonObject): string {
  let key = '';
  for (const axis of axes) {
    const value = coords[axis];
    let encoded: string;
    if (value !== null && typeof value === 'object') {
      encoded = valueKeys.get(value) ?? canonicalJson(value);
      valueKeys.set(value, encoded);
    } else encoded = JSON.stringify(value);
    key += encoded + '\u0000';
  }
  return key;
}

/** Upstream instance ids grouped by their coordinates on the shared axes, per (stage, axes). */
type InputIndex = Map<string, Map<string, string[]>>;
