/**
 * `${path}` interpolation in parameter values. A string that is exactly one `${…}` takes the
 * value's type (number, object); otherwise values are formatted into the string.
 *
 * A path starts at a matrix axis of the instance (`seed`), `vars`, `datasets`, `models` or
 * `pipeline` (`pipeline.name`, `pipeline.dir`), then continues with `.key`, `[axis]` (the
 * instance's value of that axis as a key) or `[0]`. `${path ?? json}` gives a default when the
 * path does not resolve.
 */
import { suggestName } from './diagnostic.js';
import type { JsonObject, JsonValue } from './stage-api.js';

export interface InterpolationScope {
  /** Coordinates of the instance on the axes it iterates over. */
  coords: JsonObject;
  /** Every axis of the matrix, to tell "not iterated here" from "unknown name". */
  matrixAxes: string[];
  roots: { vars: JsonObject; datasets: JsonObject; models: JsonObject; pipeline: JsonObject };
}

export interface InterpolationFailure {
  reason: 'unresolved' | 'axis-not-iterated' | 'syntax';
  message: string;
  hint?: string;
  /**
   * Set when the instance's value of a matrix axis, used as a key (`datasets[dataset]`), names
   * no entry, so the error can point at that value in the matrix instead of at the stage.
   */
  axis?: { name: string; value: JsonValue };
}

export type Interpolated = { ok: true; value: JsonValue } | { ok: false; failure: InterpolationFailure };

/**
 * Options of interpolate(). With `axisFallback`, which applies to a stage definition's defaults, a
 * reference to an axis the stage does not iterate over takes the `??` default. Without it, such a
 * reference is an error.
 */
export interface InterpolationOptions {
  axisFallback: boolean;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const SEGMENT = /^(?:\.([A-Za-z_][\w-]*)|\[([A-Za-z_][\w-]*)\]|\[(\d+)\]|\["([^"]*)"\])/;
const HEAD = /^[A-Za-z_][\w-]*/;

/** True when a JSON value contains any `${` placeholder. */
export function hasPlaceholder(value: JsonValue): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasPlaceholder);
  return false;
}

/** Resolves every placeholder in `value`, recursing into lists and objects. */
export function interpolate(value: JsonValue, scope: InterpolationScope, options: InterpolationOptions): Interpolated {
  if (typeof value === 'string') return interpolateString(value, scope, options);
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const result = interpolate(item, scope, options);
      if (!result.ok) return result;
      items.push(result.value);
    }
    return { ok: true, value: items };
  }
  if (value !== null && typeof value === 'object') {
    const object: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const result = interpolate(item, scope, options);
      if (!result.ok) return result;
      object[key] = result.value;
    }
    return { ok: true, value: object };
  }
  return { ok: true, value };
}

function interpolateString(text: string, scope: InterpolationScope, options: InterpolationOptions): Interpolated {
  const whole = /^\$\{([^}]*)\}$/.exec(text);
  if (whole) return evaluate(whole[1], scope, options);
  let failure: InterpolationFailure | undefined;
  const result = text.replace(PLACEHOLDER, (_, expression: string) => {
    const evaluated = evaluate(expression, scope, options);
    if (!evaluated.ok) {
      failure ??= evaluated.failure;
      return '';
    }
    return typeof evaluated.value === 'string' ? evaluated.value : JSON.stringify(evaluated.value);
  });
  return failure ? { ok: false, failure } : { ok: true, value: result };
}

function evaluate(expression: string, scope: InterpolationScope, options: InterpolationOptions): Interpolated {
  const [pathText, fallbackText] = splitFallback(expression);
  let fallback: JsonValue | undefined;
  if (fallbackText !== undefined) {
    try {
      fallback = JSON.parse(fallbackText) as JsonValue;
    } catch {
      return syntax(expression, `the default after ?? must be JSON, found ${fallbackText}`);
    }
  }
  const resolved = resolvePath(pathText, scope);
  if (resolved.ok) return resolved;
  const canFallBack = resolved.failure.reason === 'unresolved' || (resolved.failure.reason === 'axis-not-iterated' && options.axisFallback);
  if (fallback !== undefined && canFallBack) return { ok: true, value: fallback };
  return resolved;
}

function splitFallback(expression: string): [string, string | undefined] {
  const index = expression.indexOf('??');
  if (index === -1) return [expression.trim(), undefined];
  return [expression.slice(0, index).trim(), expression.slice(index + 2).trim()];
}

function resolvePath(path: string, scope: InterpolationScope): Interpolated {
  return walkPath(path, scope).result;
}

/** Resolves a path and records the keys walked after its head, for originOf(). */
function walkPath(path: string, scope: InterpolationScope): { result: Interpolated; head?: string; keys: (string | number)[] } {
  const keys: (string | number)[] = [];
  const head = HEAD.exec(path)?.[0];
  if (head === undefined) return { result: syntax(path, 'a path starts with an axis name, vars, datasets, models or pipeline'), keys };
  let current: JsonValue | undefined;
  if (head in scope.roots) current = scope.roots[head as keyof InterpolationScope['roots']];
  else {
    const axis = axisValue(head, scope);
    if (!axis.ok) return { result: axis, head, keys };
    current = axis.value;
  }
  let rest = path.slice(head.length);
  let walked = head;
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) return { result: syntax(path, `cannot read "${rest}"; continue a path with .key, [axis] or [0]`), head, keys };
    let key: string | number = match[1] ?? match[4] ?? Number(match[3]);
    if (match[2] !== undefined) {
      const axis = axisValue(match[2], scope);
      if (!axis.ok) return { result: axis, head, keys };
      if (typeof axis.value === 'object') return { result: syntax(path, `axis "${match[2]}" has an object value and cannot be used as a key`), head, keys };
      key = String(axis.value);
    }
    const parent = current;
    current = step(current, key);
    keys.push(key);
    const container = walked;
    walked += match[0];
    rest = rest.slice(match[0].length);
    if (current === undefined) {
      const failure = match[2] === undefined ? undefinedPath(path, walked) : unknownAxisKey(match[2], String(key), container, parent);
      return { result: { ok: false, failure }, head, keys };
    }
  }
  if (current === undefined) return { result: { ok: false, failure: { reason: 'unresolved', message: `"\${${path}}" does not resolve.` } }, head, keys };
  return { result: { ok: true, value: current }, head, keys };
}

/** Origin of an interpolated value: a root (`datasets`, `vars`, ...) or an axis, and the keys below it. */
export interface ValueOrigin {
  /** `vars`, `datasets`, `models`, `pipeline`, or the name of a matrix axis. */
  root: string;
  keys: (string | number)[];
}

/**
 * Returns the origin of `value` when it is a string that is exactly one `${path}` and the path
 * resolves, so a problem found in the resolved value can be reported where the user wrote it.
 */
export function originOf(value: JsonValue, scope: InterpolationScope): ValueOrigin | undefined {
  if (typeof value !== 'string') return undefined;
  const whole = /^\$\{([^}]*)\}$/.exec(value);
  if (!whole) return undefined;
  const walked = walkPath(splitFallback(whole[1])[0], scope);
  if (!walked.result.ok || walked.head === undefined) return undefined;
  return { root: walked.head, keys: walked.keys };
}

function undefinedPath(path: string, walked: string): InterpolationFailure {
  return { reason: 'unresolved', message: `"\${${path}}" does not resolve: ${walked} is not defined.`, hint: 'define it, or give a default with ${path ?? value}' };
}

/** Builds the failure of `container[axis]` when the axis value names no key of the container. */
function unknownAxisKey(axis: string, value: string, container: string, parent: JsonValue | undefined): InterpolationFailure {
  const isMapping = parent !== null && parent !== undefined && typeof parent === 'object' && !Array.isArray(parent);
  const keys = isMapping ? Object.keys(parent) : [];
  return {
    reason: 'unresolved',
    message: `Matrix value "${value}" of axis "${axis}" is not a key of ${container}.`,
    hint: suggestName(value, keys, `keys of ${container}`),
    axis: { name: axis, value },
  };
}

function axisValue(name: string, scope: InterpolationScope): Interpolated {
  if (name in scope.coords) return { ok: true, value: scope.coords[name] };
  if (scope.matrixAxes.includes(name)) {
    return { ok: false, failure: { reason: 'axis-not-iterated', message: `"\${${name}}" refers to matrix axis "${name}", which this stage does not iterate over.`, hint: `add ${name} to the stage's foreach, or set the parameter explicitly` } };
  }
  const roots = [...scope.matrixAxes, ...Object.keys(scope.roots)].join(', ');
  return { ok: false, failure: { reason: 'unresolved', message: `"\${${name}}" does not resolve: no matrix axis or root named "${name}".`, hint: `paths start with one of: ${roots}` } };
}

function step(value: JsonValue | undefined, key: string | number): JsonValue | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? value[String(key)] : undefined;
}

function syntax(expression: string, detail: string): Interpolated {
  return { ok: false, failure: { reason: 'syntax', message: `Invalid interpolation "\${${expression}}": ${detail}.` } };
}
