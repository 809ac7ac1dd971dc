/**
 * Random-walk Metropolis with one chain per reconstructed row. Every chain of every class
 * advances in lockstep, so each step is one batched predictProba call over all chains. The
 * Gaussian proposal's step size starts at 2.38 / sqrt(d) and is adapted per class during burn-in
 * towards acceptance 0.234 (the optimal rate of random-walk Metropolis as d grows), then frozen
 * so the post-burn-in chain is a valid Markov chain. All buffers are allocated once, before the first step.
 */
import { InputError } from '../errors.js';
import {
  checkShapes,
  className,
  classOfRows,
  likelihoodOf,
  logLikelihood,
  type Likelihood,
  type SamplerOptions,
  type SamplerRun,
} from './target.js';
import { zigguratNormal } from './ziggurat.js';

export interface MetropolisOptions extends SamplerOptions {
  steps: number;
  /** Steps of adaptation, discarded from diagnostics; at most `steps`. */
  burnIn: number;
  /** Upper bound on stored post-burn-in draws per chain (thinned evenly); default 100. */
  maxTraceDraws?: number;
}

/** Thinned post-burn-in states: draws[(chain * length + k) * d + j]. */
export interface ChainTrace {
  draws: Float32Array;
  chains: number;
  length: number;
  d: number;
  chainClass: Int32Array;
}

export interface MetropolisRun extends SamplerRun {
  trace: ChainTrace;
}

export const TARGET_ACCEPTANCE = 0.234;
/** Steps between step-size updates during burn-in. */
export const ADAPT_EVERY = 10;
/** Prior redraws per chain before a start with finite log target is given up. */
export const MAX_START_ATTEMPTS = 100;
const PROGRESS_EVERY = 50;

/** Preallocated state of all chains; chain i is row i of `current`. */
interface Chains {
  n: number;
  d: number;
  chainClass: Int32Array;
  current: Float32Array;
  proposal: Float32Array;
  currentLogTarget: Float64Array;
  proposalLogPrior: Float64Array;
  probabilities: Float32Array;
  stepSize: Float64Array;
  modelCalls: number;
  modelRows: number;
}

function allocateChains(options: MetropolisOptions): Chains {
  const d = options.prior.numFeatures;
  const chainClass = classOfRows(options.classCounts);
  const n = chainClass.length;
  return {
    n,
    d,
    chainClass,
    current: new Float32Array(n * d),
    proposal: new Float32Array(n * d),
    currentLogTarget: new Float64Array(n),
    proposalLogPrior: new Float64Array(n),
    probabilities: new Float32Array(n * options.classifier.numClasses),
    stepSize: new Float64Array(options.classCounts.length).fill(2.38 / Math.sqrt(d)),
    modelCalls: 0,
    modelRows: 0,
  };
}

function predict(chains: Chains, options: SamplerOptions, rows: Float32Array): Float32Array {
  chains.modelCalls++;
  chains.modelRows += chains.n;
  return options.classifier.predictProba(rows, chains.n, chains.probabilities);
}

/**
 * Draws every chain's start from the prior, redrawing chains whose log target is not finite
 * (zero smoothed likelihood, or the model returned NaN) up to MAX_START_ATTEMPTS times.
 */
function startChains(chains: Chains, options: MetropolisOptions, likelihood: Likelihood): void {
  const { prior, rng, classifier } = options;
  const K = classifier.numClasses;
  for (let i = 0; i < chains.n; i++) prior.sample(rng, chains.current, i);
  for (let attempt = 1; ; attempt++) {
    const probabilities = predict(chains, options, chains.current);
    let failed = -1;
    for (let i = 0; i < chains.n; i++) {
      const logTarget = logLikelihood(likelihood, probabilities[i * K + chains.chainClass[i]]) + prior.logDensity(chains.current, i);
      chains.currentLogTarget[i] = logTarget;
      if (!(logTarget > -Infinity)) {
        failed = i;
        prior.sample(rng, chains.current, i);
      }
    }
    if (failed < 0) return;
    if (attempt >= MAX_START_ATTEMPTS) throw startError(options, chains.chainClass[failed]);
  }
}

function startError(options: MetropolisOptions, c: number): InputError {
  const kinds = [...new Set(options.prior.features.map((feature) => feature.kind))].join(', ');
  return new InputError(
    `No chain start with a finite log target for class "${className(options, c)}" after ${MAX_START_ATTEMPTS} draws from the ${kinds} prior: the model gives this class probability 0 (or NaN) wherever the prior puts mass.`,
    { value: `alpha ${options.alpha}`, hint: 'set alpha > 0 (for example the default 1e-3) so the smoothed likelihood is never 0, or use a wider prior' },
  );
}

/** Writes a Gaussian random-walk proposal for every chain and its log prior. */
function propose(chains: Chains, options: SamplerOptions): void {
  const { d, current, proposal, chainClass, stepSize, proposalLogPrior } = chains;
  const { rng, prior } = options;
  for (let i = 0; i < chains.n; i++) {
    const scale = stepSize[chainClass[i]];
    const offset = i * d;
    for (let j = 0; j < d; j++) proposal[offset + j] = current[offset + j] + scale * zigguratNormal(rng);
    proposalLogPrior[i] = prior.logDensity(proposal, i);
  }
}

/** Margin that covers the rounding of Math.log and of the bounds below, with room to spare. */
const BOUND_MARGIN = 1e-12;

/**
 * Returns Math.log(u) < difference for u in (0, 1], the Metropolis acceptance test, calling
 * Math.log only when the bounds u - 1 >= log(u) >= 1 - 1/u leave it open. The bounds decide most
 * draws. Rounding moves Math.log(u) by under 1e-14 (1 ulp, and |log u| < 38 for Rng.uniform), and
 * each bound by under 1e-12 or by less than its distance from log(u), so deciding with a 1e-12
 * margin gives the same result as Math.log.
 */
export function logUniformBelow(u: number, difference: number): boolean {
  if (u - 1 < difference - BOUND_MARGIN) return true;
  if (1 - 1 / u >= difference + BOUND_MARGIN) return false;
  return Math.log(u) < difference;
}

/** Accepts or rejects every chain's proposal; counts acceptances per class into `accepted`. */
function acceptOrReject(chains: Chains, options: SamplerOptions, likelihood: Likelihood, probabilities: Float32Array, accepted: Float64Array): void {
  const { d, current, proposal, chainClass, currentLogTarget, proposalLogPrior } = chains;
  const K = options.classifier.numClasses;
  const rng = options.rng;
  for (let i = 0; i < chains.n; i++) {
    const c = chainClass[i];
    const logTarget = proposalLogPrior[i] + logLikelihood(likelihood, probabilities[i * K + c]);
    const difference = logTarget - currentLogTarget[i];
    // NaN and -Infinity differences fail both tests, so such proposals are rejected.
    if (difference >= 0 || logUniformBelow(rng.uniform(), difference)) {
      currentLogTarget[i] = logTarget;
      const offset = i * d;
      for (let j = 0; j < d; j++) current[offset + j] = proposal[offset + j];
      accepted[c]++;
    }
  }
}

/**
 * Applies one Robbins-Monro update of the log step size per class from the last window's
 * acceptance rate, with gain 2 k^-0.6 at the k-th update (square-summable, not summable).
 */
function adaptStepSizes(chains: Chains, classCounts: readonly number[], windowAccepted: Float64Array, update: number): void {
  const gain = 2 * Math.pow(update, -0.6);
  for (let c = 0; c < classCounts.length; c++) {
    if (classCounts[c] === 0) continue;
    const rate = windowAccepted[c] / (ADAPT_EVERY * classCounts[c]);
    chains.stepSize[c] *= Math.exp(gain * (rate - TARGET_ACCEPTANCE));
    windowAccepted[c] = 0;
  }
}

function allocateTrace(chains: Chains, postBurnIn: number, maxDraws: number): ChainTrace & { thin: number } {
  const thin = Math.max(1, Math.ceil(postBurnIn / maxDraws));
  const length = Math.floor(postBurnIn / thin);
  const draws = new Float32Array(chains.n * length * chains.d);
  return { draws, chains: chains.n, length, d: chains.d, chainClass: chains.chainClass, thin };
}

function recordTrace(chains: Chains, trace: ChainTrace, k: number): void {
  const { d, current } = chains;
  const draws = trace.draws;
  for (let i = 0; i < chains.n; i++) {
    const from = i * d;
    const to = (i * trace.length + k) * d;
    for (let j = 0; j < d; j++) draws[to + j] = current[from + j];
  }
}

/** Returns the acceptance rate per class from per-class acceptance counts over `steps` steps. */
function rates(accepted: Float64Array, classCounts: readonly number[], steps: number): number[] {
  return classCounts.map((count, c) => (count > 0 && steps > 0 ? accepted[c] / (count * steps) : 0));
}

/**
 * Runs every chain for `steps` steps and returns each chain's final state as the reconstructed
 * row, with the acceptance rate per class after burn-in (over all steps when burnIn = steps).
 */
export function runMetropolis(options: MetropolisOptions): MetropolisRun {
  checkShapes(options);
  const { steps, burnIn, classCounts, signal, onProgress } = options;
  if (!(Number.isInteger(steps) && steps >= 1 && Number.isInteger(burnIn) && burnIn >= 0 && burnIn <= steps)) {
    throw new Error(`Internal error: invalid steps ${steps} or burn-in ${burnIn}`);
  }
  const likelihood = likelihoodOf(options);
  const chains = allocateChains(options);
  const trace = allocateTrace(chains, steps - burnIn, options.maxTraceDraws ?? 100);
  const K = classCounts.length;
  const windowAccepted = new Float64Array(K);
  const burnInAccepted = new Float64Array(K);
  const postAccepted = new Float64Array(K);
  startChains(chains, options, likelihood);

  for (let t = 0; t < steps; t++) {
    propose(chains, options);
    const probabilities = predict(chains, options, chains.proposal);
    if (t < burnIn) {
      acceptOrReject(chains, options, likelihood, probabilities, windowAccepted);
      if ((t + 1) % ADAPT_EVERY === 0) {
        for (let c = 0; c < K; c++) burnInAccepted[c] += windowAccepted[c];
        adaptStepSizes(chains, classCounts, windowAccepted, (t + 1) / ADAPT_EVERY);
      }
    } else {
      acceptOrReject(chains, options, likelihood, probabilities, postAccepted);
      const index = t - burnIn + 1;
      if (index % trace.thin === 0 && index / trace.thin <= trace.length) recordTrace(chains, trace, index / trace.thin - 1);
    }
    if ((t + 1) % PROGRESS_EVERY === 0 || t + 1 === steps) {
      onProgress?.(t + 1, steps);
      signal?.throwIfAborted();
    }
  }

  for (let c = 0; c < K; c++) burnInAccepted[c] += windowAccepted[c];
  const acceptance = steps > burnIn ? rates(postAccepted, classCounts, steps - burnIn) : rates(burnInAccepted, classCounts, burnIn);
  return {
    x: chains.current,
    y: chains.chainClass,
    acceptance,
    modelCalls: chains.modelCalls,
    modelRows: chains.modelRows,
    stepSize: Array.from(chains.stepSize),
    trace,
  };
}
