/**
 * Gives an InputError from a param parser the `path` of the offending key, so the engine can point
 * at the YAML node. Parsers in src/data, src/priors and src/models name the key in their message
 * (`target.column`, `prior.kind`, `key "foo"`) and the value in `error.value`, but carry no path.
 */
import { canonicalJson } from '../canonical-json.js';
import { InputError } from '../errors.js';

type Key = string | number;

/**
 * Runs `check` on the value of param `name`. An InputError without a path gets one: `[name]`
 * followed by the keys inside `value` that its message or value names.
 */
export function checkParam(name: string, value: unknown, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof InputError) || error.path !== undefined) throw error;
    throw new InputError(error.message, {
      location: error.location,
      value: error.value,
      hint: error.hint,
      path: [name, ...inferKeys(value, error)],
    });
  }
}

/**
 * Infers the keys of the offending entry of `value`: the longest existing key path the message
 * names, else the first entry whose value equals `error.value`, else none (the whole value).
 * NOTE: a heuristic over message text; a parser that sets `path` itself is exact.
 */
export function inferKeys(value: unknown, error: InputError): Key[] {
  let best: Key[] = [];
  for (const token of error.message.split(/\s+/)) {
    const segments = token.replace(/^[("'`]+|[)"'`:.,;]+$/g, '').split('.').filter((segment) => segment !== '');
    for (let start = 0; start < segments.length; start++) {
      const keys = segments.slice(start);
      if (keys.length > best.length && exists(value, keys)) best = keys;
    }
  }
  if (best.length > 0) return best;
  return error.value === undefined ? [] : (findValue(value, error.value) ?? []);
}

function exists(value: unknown, keys: Key[]): boolean {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

/** Finds the first key path (depth first) whose value, or whose key, equals `shown` (JSON or raw text). */
function findValue(value: unknown, shown: string): Key[] | undefined {
  let target: string;
  try {
    target = canonicalJson(JSON.parse(shown));
  } catch {
    target = canonicalJson(shown);
  }
  const walk = (current: unknown, keys: Key[]): Key[] | undefined => {
    if (current === null || typeof current !== 'object') return undefined;
    for (const [key, item] of Object.entries(current)) {
      const here = [...keys, Array.isArray(current) ? Number(key) : key];
      if (canonicalJson(item) === target || canonicalJson(key) === target) return here;
      const deeper = walk(item, here);
      if (deeper !== undefined) return deeper;
    }
    return undefined;
  };
  return walk(value, []);
}
