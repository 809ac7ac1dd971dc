/**
 * Fidelity of a reconstruction: divergences between the real training rows of each class, which
 * are the true posterior of that class, and another labelled sample of the same features
 * (reconstructed rows, prior draws or real test rows). Classes are averaged with their training
 * shares as weights. All rows are standardized and row-major.
 */
import { kdeKl } from './kde.js';
import { DEFAULT_KNN_K, knnKl } from './knn.js';

/** A labelled sample: `n` rows of `d` standardized features and a class index per row. */
export interface LabelledRows {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  n: number;
  d: number;
}

/** Per-feature and joint divergence of one comparison, class-weighted, in nats. */
export interface ClassWeightedKl {
  /** Mean over features of `perFeature`. */
  mean: number;
  /** Per feature: Σ_c w_c KL(p_cj || q_cj) with w_c the training share of class c. */
  perFeature: number[];
  /** Classes left out because the other sample has no row of them. */
  missingClasses: number[];
}

/** Returns the rows of class `label`, row-major. */
export function rowsOfClass(sample: LabelledRows, label: number): Float64Array {
  let count = 0;
  for (let i = 0; i < sample.n; i++) if (sample.y[i] === label) count++;
  const rows = new Float64Array(count * sample.d);
  let next = 0;
  for (let i = 0; i < sample.n; i++) {
    if (sample.y[i] !== label) continue;
    for (let f = 0; f < sample.d; f++) rows[next * sample.d + f] = sample.x[i * sample.d + f];
    next++;
  }
  return rows;
}

/** Returns column `feature` of row-major rows with `d` features. */
export function column(rows: ArrayLike<number>, d: number, feature: number): Float64Array {
  const count = Math.floor(rows.length / d);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = rows[i * d + feature];
  return values;
}

/** Returns the class shares n_c / n of the reference sample; absent classes get 0. */
export function classShares(reference: LabelledRows, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < reference.n; i++) counts[reference.y[i]]++;
  return counts.map((count) => count / reference.n);
}

interface ClassPair {
  label: number;
  weight: number;
  real: Float64Array;
  other: Float64Array;
}

/**
 * Splits both samples by class. A class that the other sample lacks is reported as missing and the
 * remaining weights are rescaled to sum to 1, so the average stays a weighted mean.
 */
function pairClasses(real: LabelledRows, other: LabelledRows, numClasses: number): { pairs: ClassPair[]; missing: number[] } {
  const shares = classShares(real, numClasses);
  const pairs: ClassPair[] = [];
  const missing: number[] = [];
  for (let label = 0; label < numClasses; label++) {
    if (shares[label] === 0) continue;
    const otherRows = rowsOfClass(other, label);
    if (otherRows.length === 0) {
      missing.push(label);
      continue;
    }
    pairs.push({ label, weight: shares[label], real: rowsOfClass(real, label), other: otherRows });
  }
  const total = pairs.reduce((sum, pair) => sum + pair.weight, 0);
  for (const pair of pairs) pair.weight /= total;
  return { pairs, missing };
}

/**
 * Computes KL(real_c || other_c) per feature with the grid KDE estimator (`kdeKl`) for every class
 * c, weights classes by their training share, and averages over features. Returns NaN values when
 * no class can be compared.
 */
export function classWeightedKdeKl(real: LabelledRows, other: LabelledRows, numClasses: number): ClassWeightedKl {
  if (real.d !== other.d) throw new RangeError(`feature counts differ: ${real.d} and ${other.d}`);
  const d = real.d;
  const { pairs, missing } = pairClasses(real, other, numClasses);
  const perFeature = new Array<number>(d).fill(pairs.length === 0 ? NaN : 0);
  for (const pair of pairs) {
    for (let f = 0; f < d; f++) {
      perFeature[f] += pair.weight * kdeKl(column(pair.real, d, f), column(pair.other, d, f));
    }
  }
  const mean = perFeature.reduce((sum, value) => sum + value, 0) / d;
  return { mean, perFeature, missingClasses: missing };
}

/**
 * Computes the joint kNN estimate of KL(real_c || other_c) on all d features for every class c and
 * returns the class-weighted mean in nats. Classes whose estimate is undefined (fewer than two real
 * rows) are left out and the weights rescaled; NaN when none remains.
 */
export function classWeightedKnnKl(real: LabelledRows, other: LabelledRows, numClasses: number, k = DEFAULT_KNN_K): number {
  const d = real.d;
  const { pairs } = pairClasses(real, other, numClasses);
  let sum = 0;
  let weight = 0;
  for (const pair of pairs) {
    const estimate = knnKl(
      { x: pair.real, n: pair.real.length / d, d },
      { x: pair.other, n: pair.other.length / d, d },
      k,
    );
    if (Number.isNaN(estimate)) continue;
    sum += pair.weight * estimate;
    weight += pair.weight;
  }
  return weight === 0 ? NaN : sum / weight;
}
