/**
 * Exact rejection sampling from q_c(x) ∝ π(x) p~(c|x)^τ: draw x ~ π in batches and accept it
 * for class c with probability p~(c|x)^τ, which is at most 1 for τ > 0. Draws are independent,
 * so there is no burn-in, and class c's acceptance rate estimates its prior mass E_π[p~(c|x)^τ].
 */
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';
import { checkShapes, className, likelihoodOf, logLikelihood, type SamplerOptions, type SamplerRun } from './target.js';

export interface RejectionOptions extends SamplerOptions {
  /** Budget of prior draws over all batches. */
  maxDraws: number;
  /** Draws per predictProba call; default 4096. */
  batchSize?: number;
}

/** Per-class progress: accepted rows (in order) and draws tested while the class still needed rows. */
interface ClassTally {
  rows: Float32Array[];
  accepted: Int32Array;
  tested: Float64Array;
}

/**
 * Marks in `chosen` the classes, among those still needing rows, that accept one draw. When the
 * acceptance probabilities w_c = p~(c|x)^τ of those classes sum to at most 1 (always for τ >= 1),
 * one uniform u picks the class whose slice of [0, 1) contains u, so each class accepts with
 * exactly w_c and a draw serves one class. Otherwise each class tests its own uniform.
 */
function chooseClasses(weights: Float64Array, needed: Int32Array, rng: Rng, chosen: Uint8Array): void {
  chosen.fill(0);
  let sum = 0;
  for (let c = 0; c < weights.length; c++) if (needed[c] > 0) sum += weights[c];
  if (sum > 1) {
    for (let c = 0; c < weights.length; c++) if (needed[c] > 0 && rng.uniform() < weights[c]) chosen[c] = 1;
    return;
  }
  let u = rng.uniform();
  for (let c = 0; c < weights.length; c++) {
    if (needed[c] <= 0) continue;
    if (u < weights[c]) {
      chosen[c] = 1;
      return;
    }
    u -= weights[c];
  }
}

function budgetError(options: RejectionOptions, tally: ClassTally, draws: number): InputError {
  const status = options.classCounts
    .map((count, c) => `"${className(options, c)}" ${tally.accepted[c]} of ${count} rows (acceptance ${(tally.accepted[c] / Math.max(1, tally.tested[c])).toExponential(2)})`)
    .join(', ');
  return new InputError(`Rejection sampling used its budget of ${options.maxDraws} prior draws (drew ${draws}) before reaching the class counts: ${status}.`, {
    value: `maxDraws ${options.maxDraws}`,
    hint: 'use sampler: mh, which needs no budget, or raise maxDraws to about n_c / acceptance for the slowest class',
  });
}

/** Returns the next batch size: enough draws for the slowest class at its observed rate, within bounds. */
function nextBatchSize(options: RejectionOptions, tally: ClassTally, needed: Int32Array, remainingBudget: number): number {
  let size = options.batchSize ?? 4096;
  for (let c = 0; c < needed.length; c++) {
    if (needed[c] <= 0 || tally.tested[c] === 0) continue;
    const rate = Math.max(tally.accepted[c], 1) / tally.tested[c];
    size = Math.max(size, Math.ceil((1.2 * needed[c]) / rate));
  }
  return Math.min(size, 1 << 16, remainingBudget);
}

/** Draws until every class has n_c accepted rows; raises InputError past `maxDraws` prior draws. */
export function runRejection(options: RejectionOptions): SamplerRun {
  checkShapes(options);
  const { classifier, prior, classCounts, rng } = options;
  const d = prior.numFeatures;
  const K = classifier.numClasses;
  const likelihood = likelihoodOf(options);
  const needed = Int32Array.from(classCounts);
  const tally: ClassTally = { rows: classCounts.map((count) => new Float32Array(count * d)), accepted: new Int32Array(K), tested: new Float64Array(K) };
  const weights = new Float64Array(K);
  const chosen = new Uint8Array(K);
  const capacity = Math.min(1 << 16, Math.max(options.batchSize ?? 4096, 1));
  let batch = new Float32Array(Math.min(capacity, options.maxDraws) * d);
  let probabilities = new Float32Array((batch.length / d) * K);
  let draws = 0;
  let modelCalls = 0;
  const total = classCounts.reduce((sum, count) => sum + count, 0);

  while (needed.some((count) => count > 0)) {
    if (draws >= options.maxDraws) throw budgetError(options, tally, draws);
    const size = nextBatchSize(options, tally, needed, options.maxDraws - draws);
    if (batch.length < size * d) {
      batch = new Float32Array(size * d);
      probabilities = new Float32Array(size * K);
    }
    for (let i = 0; i < size; i++) prior.sample(rng, batch, i);
    const output = classifier.predictProba(batch, size, probabilities);
    modelCalls++;
    draws += size;
    for (let i = 0; i < size; i++) {
      for (let c = 0; c < K; c++) {
        if (needed[c] > 0) tally.tested[c]++;
        weights[c] = Math.exp(logLikelihood(likelihood, output[i * K + c]));
      }
      chooseClasses(weights, needed, rng, chosen);
      for (let c = 0; c < K; c++) {
        if (chosen[c] === 0) continue;
        const row = tally.accepted[c]++;
        needed[c]--;
        for (let j = 0; j < d; j++) tally.rows[c][row * d + j] = batch[i * d + j];
      }
    }
    options.onProgress?.(total - needed.reduce((sum, count) => sum + Math.max(count, 0), 0), total);
    options.signal?.throwIfAborted();
  }
  return collect(options, tally, draws, modelCalls);
}

function collect(options: RejectionOptions, tally: ClassTally, draws: number, modelCalls: number): SamplerRun {
  const d = options.prior.numFeatures;
  const total = options.classCounts.reduce((sum, count) => sum + count, 0);
  const x = new Float32Array(total * d);
  const y = new Int32Array(total);
  let offset = 0;
  options.classCounts.forEach((count, c) => {
    x.set(tally.rows[c], offset * d);
    y.fill(c, offset, offset + count);
    offset += count;
  });
  const acceptance = options.classCounts.map((_, c) => tally.accepted[c] / Math.max(1, tally.tested[c]));
  return { x, y, acceptance, modelCalls, modelRows: draws, stepSize: [] };
}
