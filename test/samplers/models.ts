/**
 * Small classifiers with known formulas for sampler tests. They implement the Classifier
 * interface directly, so the sampler can be checked against closed forms and quadrature.
 */
import type { Classifier } from '../../src/models/classifier.js';

abstract class TestClassifier implements Classifier {
  readonly family = 'mlp' as const;
  calls = 0;
  rows = 0;

  constructor(
    readonly numFeatures: number,
    readonly numClasses: number,
  ) {}

  /** Probability of each class for one row starting at `offset`, written into out[base ...]. */
  protected abstract fill(rows: Float32Array, offset: number, out: Float32Array, base: number): void;

  predictProba(rows: Float32Array, n: number, out?: Float32Array): Float32Array {
    this.calls++;
    this.rows += n;
    const result = out !== undefined && out.length >= n * this.numClasses ? out : new Float32Array(n * this.numClasses);
    for (let i = 0; i < n; i++) this.fill(rows, i * this.numFeatures, result, i * this.numClasses);
    return result;
  }

  async save(): Promise<void> {}
  dispose(): void {}
}

/** One feature, two classes: p(1|x) = 1 / (1 + exp(-slope x)). */
export class LogisticModel extends TestClassifier {
  constructor(readonly slope = 2) {
    super(1, 2);
  }

  protected fill(rows: Float32Array, offset: number, out: Float32Array, base: number): void {
    const p = 1 / (1 + Math.exp(-this.slope * rows[offset]));
    out[base] = 1 - p;
    out[base + 1] = p;
  }
}

/** `d` features, two classes, exact 0 and 1 like a tree: class 1 when x_0 > threshold. */
export class StepModel extends TestClassifier {
  constructor(
    d: number,
    readonly threshold = 0,
  ) {
    super(d, 2);
  }

  protected fill(rows: Float32Array, offset: number, out: Float32Array, base: number): void {
    const positive = rows[offset] > this.threshold ? 1 : 0;
    out[base] = 1 - positive;
    out[base + 1] = positive;
  }
}

/** Returns the mean and variance of the density ∝ exp(logDensity(x)) weight(x), by the midpoint rule on [-12, 12]. */
export function posteriorMoments(logDensity: (x: number) => number, weight: (x: number) => number): { mean: number; variance: number } {
  const step = 1e-3;
  let mass = 0;
  let first = 0;
  let second = 0;
  for (let x = -12 + step / 2; x < 12; x += step) {
    const w = Math.exp(logDensity(x)) * weight(x);
    mass += w;
    first += w * x;
    second += w * x * x;
  }
  const mean = first / mass;
  return { mean, variance: second / mass - mean * mean };
}
