/**
 * The `prior` value of a pipeline (a matrix entry such as `{ kind: gaussian, shift: 1 }`),
 * validated into a typed configuration with its defaults filled in.
 */
import { InputError } from '../errors.js';

export type PriorConfig =
  /** π_j = N(shift s_j, scale²) with s_j = ±1 per feature. */
  | { kind: 'gaussian'; shift: number; scale: number }
  /** Uniform over the training range widened by `margin` times the range on each side. */
  | { kind: 'uniform'; margin: number }
  /** Gaussian KDE of the training marginal, tabulated on `points` grid points. */
  | { kind: 'empirical'; points: number };

export type PriorKind = PriorConfig['kind'];

interface KeySpec {
  default: number;
  /** True when the value must be above `min`; false when it may equal it. */
  exclusive: boolean;
  min: number;
  integer?: boolean;
  description: string;
}

const KEYS: Record<PriorKind, Record<string, KeySpec>> = {
  gaussian: {
    shift: { default: 0, min: -Infinity, exclusive: false, description: 'prior mean offset in training standard deviations' },
    scale: { default: 1, min: 0, exclusive: true, description: 'prior standard deviation in training standard deviations' },
  },
  uniform: {
    margin: { default: 0.1, min: 0, exclusive: false, description: 'widening of the training range on each side, as a fraction of the range' },
  },
  empirical: {
    points: { default: 1024, min: 16, exclusive: false, integer: true, description: 'grid points of the tabulated log density' },
  },
};

export const PRIOR_KINDS = Object.keys(KEYS) as PriorKind[];

function invalid(message: string, value: unknown, hint: string): InputError {
  return new InputError(message, { value: JSON.stringify(value), hint });
}

function checkNumber(kind: PriorKind, key: string, value: unknown): number {
  const spec = KEYS[kind][key];
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (spec.exclusive ? value > spec.min : value >= spec.min) &&
    (!spec.integer || Number.isInteger(value));
  if (ok) return value;
  const bound = spec.min === -Infinity ? 'a finite number' : `${spec.integer ? 'an integer' : 'a number'} ${spec.exclusive ? '>' : '>='} ${spec.min}`;
  throw invalid(
    `Invalid prior.${key} ${JSON.stringify(value)} for a ${kind} prior: expected ${bound} (${spec.description}).`,
    value,
    `set prior.${key} to ${bound}, or leave it out for the default ${spec.default}`,
  );
}

/**
 * Validates a prior value from a pipeline. A bare string is shorthand for `{ kind: <string> }`.
 * Raises InputError for an unknown kind, an unknown key or an out-of-range value.
 */
export function parsePriorConfig(value: unknown): PriorConfig {
  const object = typeof value === 'string' ? { kind: value } : value;
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw invalid(
      `Invalid prior ${JSON.stringify(value)}: expected an object such as { kind: gaussian, shift: 1 }.`,
      value,
      `use one of the kinds ${PRIOR_KINDS.join(', ')}, for example { kind: uniform }`,
    );
  }
  const entries = object as Record<string, unknown>;
  const kind = entries.kind;
  if (typeof kind !== 'string' || !(PRIOR_KINDS as string[]).includes(kind)) {
    throw invalid(
      `Invalid prior.kind ${JSON.stringify(kind)}: expected one of ${PRIOR_KINDS.join(', ')}.`,
      kind,
      `set prior.kind to ${PRIOR_KINDS.join(', ')}`,
    );
  }
  const specs = KEYS[kind as PriorKind];
  for (const key of Object.keys(entries)) {
    if (key !== 'kind' && !(key in specs)) {
      const valid = ['kind', ...Object.keys(specs)].join(', ');
      throw invalid(`Unknown key prior.${key} for a ${kind} prior.`, entries[key], `valid keys for a ${kind} prior: ${valid}`);
    }
  }
  const config: Record<string, number | string> = { kind };
  for (const [key, spec] of Object.entries(specs)) {
    config[key] = entries[key] === undefined ? spec.default : checkNumber(kind as PriorKind, key, entries[key]);
  }
  return config as PriorConfig;
}
