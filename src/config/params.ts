/**
 * Resolves the parameters of one stage instance: the stage definition's defaults, overlaid with
 * the pipeline's params, interpolated in the instance's scope, then checked against the
 * definition's ParamSpecs.
 */
import type { Diagnostic } from '../diagnostic.js';
import { interpolate, type InterpolationScope } from '../interpolate.js';
import type { JsonObject, JsonValue, ParamSpec } from '../stage-api.js';
import type { StageKind } from './stage-kinds.js';
import type { Pipeline, StageSpec } from './types.js';

/** Returns the resolved params, or the diagnostics that prevent resolving them. */
export function resolveParams(
  pipeline: Pipeline,
  stage: StageSpec,
  kind: StageKind | undefined,
  scope: InterpolationScope,
): { params: JsonObject; diagnostics: Diagnostic[] } {
  const params: JsonObject = {};
  const diagnostics: Diagnostic[] = [];
  const specs = kind?.definition.params ?? {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default === undefined || name in stage.params) continue;
    const result = interpolate(spec.default, scope, { axisFallback: true });
    if (result.ok) params[name] = result.value;
    else {
      const message = `Default of parameter "${name}" of stage kind "${kind!.uses}" cannot be resolved: ${result.failure.message}`;
      diagnostics.push(pipeline.source.error(['stages', stage.name, 'uses'], message, result.failure.hint ?? `set params.${name} explicitly`));
    }
  }
  for (const [name, value] of Object.entries(stage.params)) {
    const result = interpolate(value, scope, { axisFallback: false });
    if (result.ok) params[name] = result.value;
    else diagnostics.push(pipeline.source.error(['stages', stage.name, 'params', name], result.failure.message, result.failure.hint));
  }
  if (kind?.declaresParams && diagnostics.length === 0) {
    for (const [name, spec] of Object.entries(specs)) diagnostics.push(...checkParam(pipeline, stage, kind, name, spec, params[name]));
  }
  return { params, diagnostics };
}

function checkParam(pipeline: Pipeline, stage: StageSpec, kind: StageKind, name: string, spec: ParamSpec, value: JsonValue | undefined): Diagnostic[] {
  const path = ['stages', stage.name, 'params', name];
  if (value === undefined) {
    if (!spec.required) return [];
    return [pipeline.source.error(['stages', stage.name], `Stage "${stage.name}" (kind "${kind.uses}") is missing required parameter "${name}" (${spec.description}).`, `add params: { ${name}: <${spec.type}> }`, 'key')];
  }
  const where = name in stage.params ? path : ['stages', stage.name, 'uses'];
  const problem = describeMismatch(spec, value);
  if (problem === undefined) return [];
  return [pipeline.source.error(where, `Parameter "${name}" of stage "${stage.name}" ${problem}.`, spec.description ? `${name}: ${spec.description}` : undefined)];
}

/** Says how `value` violates `spec`, or returns undefined when it conforms. */
export function describeMismatch(spec: ParamSpec, value: JsonValue): string | undefined {
  const shown = JSON.stringify(value);
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
      return typeof value === 'number' && Number.isInteger(value);
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
