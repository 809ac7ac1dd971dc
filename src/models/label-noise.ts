/** Label noise: the knob that lowers a model's accuracy in a controlled, seeded way. */
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';

export interface NoisyLabels {
  /** Copy of the labels with the chosen rows replaced. */
  y: Int32Array;
  /** Row indices whose label was replaced, in the order they were chosen. */
  flipped: Int32Array;
}

/**
 * Replaces exactly round(fraction * n) labels, at rows chosen by a seeded permutation, each by a
 * class drawn uniformly from the other numClasses - 1 classes. The input array is not modified.
 */
export function applyLabelNoise(y: Int32Array, numClasses: number, fraction: number, rng: Rng): NoisyLabels {
  if (!(typeof fraction === 'number' && fraction >= 0 && fraction <= 1)) {
    throw new InputError(`Invalid labelNoise ${fraction}: expected a fraction in [0, 1]`, {
      value: String(fraction),
      hint: 'set labelNoise to a number from 0 (clean labels) to 1 (every label replaced)',
    });
  }
  const noisy = Int32Array.from(y);
  const count = Math.round(fraction * y.length);
  if (count === 0) return { y: noisy, flipped: new Int32Array(0) };
  if (numClasses < 2) throw new Error(`Internal error: label noise needs at least two classes, got ${numClasses}`);
  const order = rng.permutation(y.length);
  const flipped = Int32Array.from(order.slice(0, count));
  for (const row of flipped) {
    // An offset in 1..K-1 picks uniformly among the classes other than the current one.
    noisy[row] = (y[row] + 1 + rng.int(numClasses - 1)) % numClasses;
  }
  return { y: noisy, flipped };
}
