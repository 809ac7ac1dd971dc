/**
 * Model specifications: the family and its hyperparameters as a pipeline's `models` catalog gives
 * them, checked and completed with defaults.
 */
import { InputError } from '../errors.js';
import type { ModelFamily } from './classifier.js';

/** TensorFlow.js dense network: ReLU hidden layers, softmax output, Adam on cross-entropy. */
export interface MlpSpec {
  family: 'mlp';
  /** Units per hidden layer, input side first. */
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** Gradient-boosted trees from ml-xgboost with the `multi:softprob` objective. */
export interface XgboostSpec {
  family: 'xgboost';
  /** Boosting rounds; each round adds one tree per class. */
  rounds: number;
  maxDepth: number;
  eta: number;
  /** Row fraction sampled per tree; below 1 the sampling is seeded from the model's rng. */
  subsample: number;
  colsampleBytree: number;
  minChildWeight: number;
  /** L2 regularisation on leaf weights. */
  lambda: number;
  /** Minimum loss reduction to make a split. */
  gamma: number;
}

/** CART classification tree from ml-cart (Gini gain, splits at midpoints). */
export interface TreeSpec {
  family: 'tree';
  maxDepth: number;
  /** A node with this many training rows or fewer becomes a leaf. */
  minNumSamples: number;
  /** A split must gain more Gini than this. */
  gainThreshold: number;
}

export type ModelSpec = MlpSpec | XgboostSpec | TreeSpec;

/** A spec as a user writes it: the family plus any subset of its hyperparameters. */
export type ModelSpecInput =
  | ({ family: 'mlp' } & Partial<Omit<MlpSpec, 'family'>>)
  | ({ family: 'xgboost' } & Partial<Omit<XgboostSpec, 'family'>>)
  | ({ family: 'tree' } & Partial<Omit<TreeSpec, 'family'>>);

type Check = 'positive-integer' | 'non-negative-integer' | 'positive' | 'non-negative' | 'fraction' | 'integer-list';

interface FieldRule {
  check: Check;
  default: number | number[];
}

const RULES: Record<ModelFamily, Record<string, FieldRule>> = {
  mlp: {
    hidden: { check: 'integer-list', default: [64, 32] },
    epochs: { check: 'positive-integer', default: 100 },
    batchSize: { check: 'positive-integer', default: 32 },
    learningRate: { check: 'positive', default: 1e-3 },
  },
  xgboost: {
    rounds: { check: 'positive-integer', default: 100 },
    maxDepth: { check: 'positive-integer', default: 4 },
    eta: { check: 'positive', default: 0.3 },
    subsample: { check: 'fraction', default: 1 },
    colsampleBytree: { check: 'fraction', default: 1 },
    minChildWeight: { check: 'non-negative', default: 1 },
    lambda: { check: 'non-negative', default: 1 },
    gamma: { check: 'non-negative', default: 0 },
  },
  tree: {
    maxDepth: { check: 'positive-integer', default: 5 },
    minNumSamples: { check: 'non-negative-integer', default: 3 },
    gainThreshold: { check: 'non-negative', default: 0.01 },
  },
};

const FAMILIES = Object.keys(RULES) as ModelFamily[];

/** Returns the hyperparameter names of a family, for messages and docs. */
export function hyperparameterNames(family: ModelFamily): string[] {
  return Object.keys(RULES[family]);
}

function expected(check: Check): string {
  switch (check) {
    case 'positive-integer':
      return 'a positive integer';
    case 'non-negative-integer':
      return 'an integer >= 0';
    case 'positive':
      return 'a number > 0';
    case 'non-negative':
      return 'a number >= 0';
    case 'fraction':
      return 'a number in (0, 1]';
    case 'integer-list':
      return 'a list of positive integers, for example [64, 32]';
  }
}

function passes(check: Check, value: unknown): boolean {
  const isNumber = typeof value === 'number' && Number.isFinite(value);
  switch (check) {
    case 'positive-integer':
      return isNumber && Number.isInteger(value) && value > 0;
    case 'non-negative-integer':
      return isNumber && Number.isInteger(value) && value >= 0;
    case 'positive':
      return isNumber && value > 0;
    case 'non-negative':
      return isNumber && value >= 0;
    case 'fraction':
      return isNumber && value > 0 && value <= 1;
    case 'integer-list':
      return Array.isArray(value) && value.every((units) => passes('positive-integer', units));
  }
}

/**
 * Checks a user's model spec and fills in defaults. `where` names the value for messages, for
 * example `params.model`. Raises InputError on an unknown family or hyperparameter, or a value of
 * the wrong type or range.
 */
export function resolveModelSpec(value: unknown, where = 'model'): ModelSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`Invalid ${where}: expected an object such as { family: mlp }, found ${JSON.stringify(value)}`, {
      value: JSON.stringify(value),
      hint: `give ${where} a "family" key, one of: ${FAMILIES.join(', ')}`,
    });
  }
  const given = value as Record<string, unknown>;
  const family = given.family;
  if (typeof family !== 'string' || !FAMILIES.includes(family as ModelFamily)) {
    throw new InputError(`Unknown model family ${JSON.stringify(family)} in ${where}.family`, {
      value: JSON.stringify(family),
      hint: `use one of: ${FAMILIES.join(', ')}`,
    });
  }
  const rules = RULES[family as ModelFamily];
  const spec: Record<string, unknown> = { family };
  for (const [key, rule] of Object.entries(rules)) {
    spec[key] = Array.isArray(rule.default) ? [...rule.default] : rule.default;
  }
  for (const [key, field] of Object.entries(given)) {
    if (key === 'family') continue;
    const rule = rules[key];
    if (rule === undefined) {
      throw new InputError(`Unknown hyperparameter "${key}" in ${where} for family ${family}`, {
        value: key,
        hint: `valid hyperparameters for ${family}: ${Object.keys(rules).join(', ')}`,
      });
    }
    if (!passes(rule.check, field)) {
      throw new InputError(`Invalid ${where}.${key}: expected ${expected(rule.check)}, found ${JSON.stringify(field)}`, {
        value: JSON.stringify(field),
        hint: `set ${key} to ${expected(rule.check)} or remove it to use the default ${JSON.stringify(rule.default)}`,
      });
    }
    spec[key] = Array.isArray(field) ? [...field] : field;
  }
  return spec as unknown as ModelSpec;
}
