/**
 * Resolves the parameters of one stage instance: the stage definition's defaults, overlaid with
 * the pipeline's params, interpolated in the instance's scope, then checked against the
 * definition's ParamSpecs.
 */
import { canonicalJson } from '../canonical-json.js';
import type { Diagnostic } from '../diagnostic.js';
import { interpolate, originOf, type InterpolationFailure, type InterpolationScope } from '../interpolate.js';
import type { JsonObject, JsonValue, ParamSpec } from '../stage-api.js';
import type { YamlPath } from './source-map.js';
import type { StageKind } from './stage-kinds.js';
import type { Pipeline, StageSpec } from './types.js';

export interface ResolvedParams {
  params: JsonObject;
  /** Param name -> YAML path of where its value was written, for messages about the value. */
  origins: Record<string, YamlPath>;
  diagnostics: Diagnostic[];
}

const INTERPOLATION_HINT = 'a placeholder is ${path}, where path starts at a matrix axis, vars, datasets, models or pipeline and continues with .key, [axis] or [0]';

/** Returns the resolved params, or the diagnostics that prevent resolving them. */
export function resolveParams(pipeline: Pipeline, stage: StageSpec, kind: StageKind | undefined, scope: InterpolationScope): ResolvedParams {
  const params: JsonObject = {};
  const origins: Record<string, YamlPath> = {};
  const diagnostics: Diagnostic[] = [];
  const specs = kind?.definition.params ?? {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default === undefined || name in stage.params) continue;
    const result = interpolate(spec.default, scope, { axisFallback: true });
    origins[name] = originPath(pipeline, spec.default, scope) ?? ['stages', stage.name, 'uses'];
    if (result.ok) params[name] = result.value;
    else if (result.failure.axis !== undefined) diagnostics.push(axisValueError(pipeline, scope, result.failure));
    else {
      const message = `Default of parameter "${name}" of stage kind "${kind!.uses}" cannot be resolved: ${result.failure.message}`;
      diagnostics.push(pipeline.source.error(['stages', stage.name, 'uses'], message, result.failure.hint ?? `set params.${name} explicitly`));
    }
  }
  for (const [name, value] of Object.entries(stage.params)) {
    const result = interpolate(value, scope, { axisFallback: false });
    origins[name] = originPath(pipeline, value, scope) ?? ['stages', stage.name, 'params', name];
    if (result.ok) params[name] = result.value;
    else if (result.failure.axis !== undefined) diagnostics.push(axisValueError(pipeline, scope, result.failure));
    else diagnostics.push(pipeline.source.error(['stages', stage.name, 'params', name], result.failure.message, result.failure.hint ?? INTERPOLATION_HINT));
  }
  if (kind?.declaresParams && diagnostics.length === 0) {
    for (const [name, spec] of Object.entries(specs)) diagnostics.push(...checkParam(pipeline, stage, kind, name, spec, params[name], origins[name]));
  }
  return { params, origins, diagnostics };
}

/**
 * Places an unknown key taken from a matrix axis (`datasets[dataset]` with dataset: flower) at the
 * axis value in the matrix. The message names no stage, so the stages that share the value get one
 * diagnostic.
 */
function axisValueError(pipeline: Pipeline, scope: InterpolationScope, failure: InterpolationFailure): Diagnostic {
  const name = failure.axis!.name;
  const axis = pipeline.matrix.find((candidate) => candidate.name === name);
  const encoded = canonicalJson(scope.coords[name]);
  const index = axis?.values.findIndex((item) => canonicalJson(item) === encoded) ?? -1;
  const path = index === -1 ? ['matrix', name] : ['matrix', name, index];
  return pipeline.source.error(path, failure.message, failure.hint ?? INTERPOLATION_HINT);
}

/** Maps a value that is exactly one `${path}` to the YAML path of the value it resolves to. */
function originPath(pipeline: Pipeline, value: JsonValue, scope: InterpolationScope): YamlPath | undefined {
  const origin = originOf(value, scope);
  if (origin === undefined || origin.root === 'pipeline') return undefined;
  if (origin.root === 'vars' || origin.root === 'datasets' || origin.root === 'models') return [origin.root, ...origin.keys];
  const axis = pipeline.matrix.find((candidate) => candidate.name === origin.root);
  if (axis === undefined) return undefined;
  const encoded = canonicalJson(scope.coords[axis.name]);
  const index = axis.values.findIndex((item) => canonicalJson(item) === encoded);
  return ['matrix', axis.name, index, ...origin.keys];
}

function checkParam(pipeline: Pipeline, stage: StageSpec, kind: StageKind, name: string, spec: ParamSpec, value: JsonValue | undefined, origin: YamlPath | undefined): Diagnostic[] {
  if (value === undefined) {
    if (!spec.required) return [];
    return [pipeline.source.error(['stages', stage.name], `Stage "${stage.name}" (kind "${kind.uses}") is missing required parameter "${name}" (${spec.description}).`, `add params: { ${name}: <${spec.type}> }`, 'key')];
  }
  const where = origin ?? ['stages', stage.name, 'uses'];
  const problem = describeMismatch(spec, value);
  if (problem === undefined) return [];
  return [pipeline.source.error(where, `Parameter "${name}" of stage "${stage.name}" ${problem}.`, spec.description ? `${name}: ${spec.description}` : `give ${name} a value that ${problem.replace(/;.*$/, '')}`)];
}

/**
 * Returns the params that enter the cache key: all but those whose spec says `key: false`. The
 * object itself is returned when nothing is left out. The rng seed derives from the same subset.
 */
export function keyParams(specs: Record<string, ParamSpec>, params: JsonObject): JsonObject {
  const excluded = Object.keys(params).filter((name) => specs[name]?.key === false);
  if (excluded.length === 0) return params;
  const kept: JsonObject = {};
  for (const [name, value] of Object.entries(params)) if (!excluded.includes(name)) kept[name] = value;
  return kept;
}

/** Says how `value` violates `spec`, or returns undefined when it conforms. */
export function describeMismatch(spec: ParamSpec, value: JsonValue): string | undefined {
  const shown = JSON.stringify(value);
  if (spec.type === 'integer' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `must be an integer between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}; found ${shown}, which cannot be represented exactly`;
  }
  if (!matchesType(spec.type, value)) return `must be ${article(spec.type)}; found ${shown}`;
  if (spec.enum && typeof value === 'string' && !spec.enum.includes(value)) return `must be one of ${spec.enum.join(', ')}; found ${shown}`;
  if (typeof value === 'number') {
    if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}; found ${shown}`;
    if (spec.maximum !== undefined && value > spec.maximum) return `must be at most ${spec.maximum}; found ${shown}`;
  }
  return undefined;
}

function matchesType(type: ParamSpec['type'], value: JsonValue): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      // Integers past 2^53 lost digits when the YAML was read, so they are rejected as well.
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'string':
    case 'boolean':
      return typeof value === type;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

const article = (type: string): string => (type === 'any' ? 'any value' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
