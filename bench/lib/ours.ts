/**
 * Our side of the prediction and sampler comparisons: the model families of src/models and the
 * Metropolis sampler of src/samplers, on the same rows, batch sizes and chain counts as the Python
 * programs. Modules load lazily so that a module not built yet makes a figure "skipped", not a crash.
 */
import type { Classifier, ModelFamily } from '../../src/models/classifier.js';
import type { ModelSpecInput } from '../../src/models/spec.js';
import { Rng } from '../../src/random.js';
import { chainClassCounts, tiledBatch, type BenchData } from './bench-data.js';
import { median, medianSecondsPerCall, secondsSince } from './measure.js';

export const FAMILIES: readonly ModelFamily[] = ['mlp', 'xgboost', 'tree'];

/**
 * Hyperparameters matching bench/python/predict.py. The MLP trains for 20 epochs only, because
 * prediction cost depends on the layer sizes, not on how long the weights were trained.
 */
const SPECS: Record<ModelFamily, ModelSpecInput> = {
  mlp: { family: 'mlp', hidden: [64, 32], epochs: 20 },
  xgboost: { family: 'xgboost', rounds: 100, maxDepth: 4, eta: 0.3 },
  tree: { family: 'tree', maxDepth: 5 },
};

export interface BatchTiming {
  rowsPerS: number;
  usPerRow: number;
  callsPerRepeat: number;
}

export interface TrainedFamily {
  classifier: Classifier;
  trainS: number;
}

/** Trains one classifier per family; a family whose training throws is returned as its error message. */
export async function trainFamilies(data: BenchData): Promise<Record<ModelFamily, TrainedFamily | string>> {
  const models = await import('../../src/models/index.js');
  const result = {} as Record<ModelFamily, TrainedFamily | string>;
  for (const family of FAMILIES) {
    const start = process.hrtime.bigint();
    try {
      const classifier = await models.trainClassifier(SPECS[family], { x: data.x, y: data.y, n: data.n, d: data.d }, data.numClasses, Rng.from('bench', family));
      result[family] = { classifier, trainS: secondsSince(start) };
    } catch (error) {
      result[family] = `training failed: ${(error as Error).message}`;
    }
  }
  return result;
}

/** Times predictProba at each batch size (median of `repeats`), reusing one output buffer as the sampler does. */
export function timePredict(classifier: Classifier, data: BenchData, batches: readonly number[], repeats: number): Record<number, BatchTiming> {
  const result: Record<number, BatchTiming> = {};
  for (const batch of batches) {
    const rows = tiledBatch(data, batch);
    const out = new Float32Array(batch * classifier.numClasses);
    const { seconds, calls } = medianSecondsPerCall(() => classifier.predictProba(rows, batch, out), repeats);
    result[batch] = { rowsPerS: batch / seconds, usPerRow: (seconds / batch) * 1e6, callsPerRepeat: calls };
  }
  return result;
}

export interface SamplerTiming {
  chainStepsPerS: number;
  usPerChainStep: number;
  /** Share of the sampler's wall time spent inside predictProba, measured in the same runs. */
  predictShare: number;
  acceptance: number;
}

/** Counts the seconds spent inside predictProba; one clock pair per call, next to a call of 100+ µs. */
function timedClassifier(inner: Classifier): { classifier: Classifier; seconds: () => number } {
  let nanoseconds = 0n;
  const classifier: Classifier = {
    family: inner.family,
    numFeatures: inner.numFeatures,
    numClasses: inner.numClasses,
    predictProba(rows, n, out) {
      const start = process.hrtime.bigint();
      const result = inner.predictProba(rows, n, out);
      nanoseconds += process.hrtime.bigint() - start;
      return result;
    },
    save: (dir) => inner.save(dir),
    dispose: () => inner.dispose(),
  };
  return { classifier, seconds: () => Number(nanoseconds) / 1e9 };
}

/**
 * Runs our Metropolis sampler `repeats` times (seeds 0..repeats-1) with `chains` chains for `steps`
 * steps, half of them burn-in, prior N(0, 1) per feature and α = 1e-3; returns median figures.
 */
export async function timeSampler(classifier: Classifier, data: BenchData, chains: number, steps: number, repeats: number): Promise<SamplerTiming> {
  const { runMetropolis } = await import('../../src/samplers/metropolis.js');
  const { createPrior } = await import('../../src/priors/prior.js');
  const prior = createPrior(Array.from({ length: data.d }, () => ({ kind: 'gaussian' as const, mean: 0, sd: 1 })));
  const classCounts = chainClassCounts(data, chains);
  const runs: { wallS: number; share: number; acceptance: number }[] = [];
  for (let seed = 0; seed < repeats; seed++) {
    const timed = timedClassifier(classifier);
    const start = process.hrtime.bigint();
    const run = runMetropolis({ classifier: timed.classifier, prior, classCounts, alpha: 1e-3, temperature: 1, rng: Rng.from('bench-sampler', seed), steps, burnIn: steps >> 1 });
    const wallS = secondsSince(start);
    const acceptance = run.acceptance.reduce((sum, rate, c) => sum + rate * classCounts[c], 0) / chains;
    runs.push({ wallS, share: timed.seconds() / wallS, acceptance });
  }
  const wallS = median(runs.map((run) => run.wallS));
  return {
    chainStepsPerS: (chains * steps) / wallS,
    usPerChainStep: (wallS / (chains * steps)) * 1e6,
    predictShare: median(runs.map((run) => run.share)),
    acceptance: median(runs.map((run) => run.acceptance)),
  };
}
