/**
 * Measures the Metropolis sampler's own time per chain step against predictProba's time per row,
 * on a 13-feature, 2-class problem with 200 chains. Run with `npx tsx test/samplers/measure-overhead.ts`.
 * The model is a dense 13-64-32-2 ReLU network in plain TypeScript with seeded random weights, so
 * its cost per row is fixed (2,944 multiply-adds). A constant model isolates the sampler's own cost.
 */
import { cpus, loadavg } from 'node:os';
import type { Classifier } from '../../src/models/classifier.js';
import type { FeaturePrior } from '../../src/formats.js';
import { tabulateEmpiricalPrior } from '../../src/priors/empirical.js';
import { createPrior } from '../../src/priors/prior.js';
import { Rng } from '../../src/random.js';
import { runMetropolis } from '../../src/samplers/metropolis.js';
import { trainClassifier, type ModelSpecInput } from '../../src/models/index.js';

const D = 13;
const CHAINS = 200;
const STEPS = 2000;

class DenseModel implements Classifier {
  readonly family = 'mlp' as const;
  readonly numFeatures = D;
  readonly numClasses = 2;
  private readonly layers: { w: Float32Array; b: Float32Array; inputs: number; outputs: number }[];
  private readonly buffers: Float32Array[];
  predictMs = 0;

  constructor(rng: Rng, sizes = [D, 64, 32, 2]) {
    this.layers = sizes.slice(1).map((outputs, k) => {
      const inputs = sizes[k];
      const w = Float32Array.from({ length: inputs * outputs }, () => rng.normal() / Math.sqrt(inputs));
      return { w, b: new Float32Array(outputs), inputs, outputs };
    });
    this.buffers = sizes.map((size) => new Float32Array(size));
  }

  predictProba(rows: Float32Array, n: number, out?: Float32Array): Float32Array {
    const started = performance.now();
    const result = out && out.length >= 2 * n ? out : new Float32Array(2 * n);
    const input = this.buffers[0];
    const last = this.layers.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < D; j++) input[j] = rows[i * D + j];
      for (let k = 0; k < last; k++) this.dense(this.layers[k], this.buffers[k], this.buffers[k + 1], k < last - 1);
      const logits = this.buffers[last];
      const p = 1 / (1 + Math.exp(logits[0] - logits[1]));
      result[2 * i] = 1 - p;
      result[2 * i + 1] = p;
    }
    this.predictMs += performance.now() - started;
    return result;
  }

  private dense(layer: { w: Float32Array; b: Float32Array; inputs: number; outputs: number }, input: Float32Array, output: Float32Array, relu: boolean): void {
    output.set(layer.b);
    for (let a = 0; a < layer.inputs; a++) {
      const value = input[a];
      const offset = a * layer.outputs;
      for (let o = 0; o < layer.outputs; o++) output[o] += value * layer.w[offset + o];
    }
    if (relu) for (let o = 0; o < layer.outputs; o++) if (output[o] < 0) output[o] = 0;
  }

  async save(): Promise<void> {}
  dispose(): void {}
}

/** Wraps a trained classifier and adds up the time spent in its predictProba. */
class TimedModel implements Classifier {
  readonly family;
  readonly numFeatures;
  readonly numClasses;
  predictMs = 0;

  constructor(private readonly inner: Classifier) {
    this.family = inner.family;
    this.numFeatures = inner.numFeatures;
    this.numClasses = inner.numClasses;
  }

  predictProba(rows: Float32Array, n: number, out?: Float32Array): Float32Array {
    const started = performance.now();
    const result = this.inner.predictProba(rows, n, out);
    this.predictMs += performance.now() - started;
    return result;
  }

  async save(): Promise<void> {}
  dispose(): void {}
}

class ConstantModel implements Classifier {
  readonly family = 'mlp' as const;
  readonly numFeatures = D;
  readonly numClasses = 2;
  predictMs = 0;
  predictProba(_rows: Float32Array, n: number, out?: Float32Array): Float32Array {
    const result = out && out.length >= 2 * n ? out : new Float32Array(2 * n);
    result.fill(0.5, 0, 2 * n);
    return result;
  }
  async save(): Promise<void> {}
  dispose(): void {}
}

/** Runs the sampler `repeats` times and prints the fastest run, the one least disturbed by other load. */
function measure(label: string, makeModel: () => DenseModel | ConstantModel | TimedModel, features: FeaturePrior[], repeats = 3): void {
  let best = { samplerUs: Infinity, predictUs: Infinity, acceptance: [] as number[] };
  for (let repeat = 0; repeat < repeats; repeat++) {
    const classifier = makeModel();
    const started = performance.now();
    const run = runMetropolis({
      classifier,
      prior: createPrior(features),
      classCounts: [CHAINS / 2, CHAINS / 2],
      alpha: 1e-3,
      temperature: 1,
      rng: Rng.from('measure', label),
      steps: STEPS,
      burnIn: STEPS / 2,
    });
    const totalMs = performance.now() - started;
    const chainSteps = CHAINS * run.modelCalls;
    const samplerUs = ((totalMs - classifier.predictMs) * 1000) / chainSteps;
    if (samplerUs < best.samplerUs) best = { samplerUs, predictUs: (classifier.predictMs * 1000) / chainSteps, acceptance: run.acceptance };
  }
  const rates = best.acceptance.map((rate) => rate.toFixed(3)).join('/');
  console.log(`${label}: sampler ${best.samplerUs.toFixed(3)} µs per chain step; predictProba ${best.predictUs.toFixed(3)} µs per row; acceptance ${rates}`);
}

const rng = Rng.from('weights');
const gaussian: FeaturePrior[] = Array.from({ length: D }, () => ({ kind: 'gaussian', mean: 0, sd: 1 }));
const data = Float64Array.from({ length: 300 }, () => rng.normal());
const empirical: FeaturePrior[] = Array.from({ length: D }, () => tabulateEmpiricalPrior(data, 1024));
console.log(`load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${cpus().length} cores`);
const dense = () => new DenseModel(Rng.from('weights'));
measure('dense 13-64-32-2, gaussian prior', dense, gaussian);
measure('dense 13-64-32-2, empirical prior', dense, empirical);
for (const family of ['mlp', 'xgboost', 'tree'] as const) {
  const train = { x: Float32Array.from({ length: 300 * D }, () => rng.normal()), y: new Int32Array(300), n: 300, d: D };
  for (let i = 0; i < 300; i++) train.y[i] = train.x[i * D] + train.x[i * D + 1] > 0 ? 1 : 0;
  const spec: ModelSpecInput = family === 'mlp' ? { family, hidden: [64, 32], epochs: 5 } : { family };
  const trained = await trainClassifier(spec, train, 2, Rng.from('train', family));
  measure(`trained ${family} (default hyperparameters${family === 'mlp' ? ', 13-64-32-2' : ''}), gaussian prior`, () => new TimedModel(trained), gaussian);
  trained.dispose();
}
measure('constant model, gaussian prior', () => new ConstantModel(), gaussian, 5);
measure('constant model, empirical prior', () => new ConstantModel(), empirical, 5);
