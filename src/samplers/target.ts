/**
 * The reconstruction target shared by every sampler: for class c,
 * log q_c(x) = τ log p~(c|x) + Σ_j log π_j(x_j), with the smoothed likelihood
 * p~(c|x) = (p_f(c|x) + α) / (1 + K α) so that a model returning exact 0 or 1 never makes a
 * region unreachable.
 */
import type { Classifier } from '../models/classifier.js';
import type { Prior } from '../priors/prior.js';
import type { Rng } from '../random.js';

/** Inputs of both samplers. Rows are standardized, and classes are indices into the model's outputs. */
export interface SamplerOptions {
  classifier: Classifier;
  prior: Prior;
  /** Rows to reconstruct per class, n_c. */
  classCounts: readonly number[];
  /** Likelihood smoothing α >= 0. */
  alpha: number;
  /** Temperature τ > 0 on the log likelihood. */
  temperature: number;
  rng: Rng;
  /** Class labels, for messages. */
  classNames?: readonly string[];
  signal?: AbortSignal;
  /** Called about every 50 steps (mh) or after every batch (rejection). */
  onProgress?: (done: number, total: number) => void;
}

/** Reconstructed rows, grouped by class in class order, and the sampler's counters. */
export interface SamplerRun {
  /** Standardized rows, row-major n * d. */
  x: Float32Array;
  y: Int32Array;
  /** Acceptance rate per class. */
  acceptance: number[];
  modelCalls: number;
  modelRows: number;
  /** Final proposal step size per class; empty for rejection. */
  stepSize: number[];
}

/** Precomputed constants of the smoothed, tempered log likelihood. */
export interface Likelihood {
  alpha: number;
  temperature: number;
  /** log(1 + K α). */
  logNormalizer: number;
}

/** Returns the likelihood constants of `options`. */
export function likelihoodOf(options: SamplerOptions): Likelihood {
  const { alpha, temperature } = options;
  return { alpha, temperature, logNormalizer: Math.log(1 + options.classifier.numClasses * alpha) };
}

/** Returns τ log p~(c|x) for a model probability p; NaN from the model stays NaN (never accepted). */
export function logLikelihood(likelihood: Likelihood, probability: number): number {
  return likelihood.temperature * (Math.log(probability + likelihood.alpha) - likelihood.logNormalizer);
}

/** Raises when the model, prior and class counts disagree on shape (a wiring error, not user input). */
export function checkShapes(options: SamplerOptions): void {
  const { classifier, prior, classCounts } = options;
  if (classifier.numFeatures !== prior.numFeatures) {
    throw new Error(`Internal error: the model has ${classifier.numFeatures} features but the prior has ${prior.numFeatures}`);
  }
  if (classCounts.length !== classifier.numClasses) {
    throw new Error(`Internal error: the model has ${classifier.numClasses} classes but ${classCounts.length} class counts were given`);
  }
}

/** Returns the class label for messages: its name when known, else its index. */
export function className(options: SamplerOptions, c: number): string {
  return options.classNames?.[c] ?? String(c);
}

/** Returns the class of each chain or row slot: n_0 zeros, then n_1 ones, and so on. */
export function classOfRows(classCounts: readonly number[]): Int32Array {
  const total = classCounts.reduce((sum, count) => sum + count, 0);
  const classes = new Int32Array(total);
  let offset = 0;
  classCounts.forEach((count, c) => {
    classes.fill(c, offset, offset + count);
    offset += count;
  });
  return classes;
}
