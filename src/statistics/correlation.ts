/**
 * Correlation coefficients with 95% confidence intervals: Pearson r with the Fisher z interval,
 * and Spearman ρ with a seeded percentile bootstrap interval.
 */
import type { Rng } from '../random.js';
import { Z_975 } from './distributions.js';

/** A coefficient with its 95% interval; the interval is null when it cannot be computed. */
export interface CorrelationEstimate {
  n: number;
  estimate: number;
  lo: number | null;
  hi: number | null;
}

/** A missing coefficient with the reason in `note`. */
export interface NoCorrelation {
  n: number;
  note: string;
}

export type CorrelationResult = CorrelationEstimate | NoCorrelation;

export function isEstimate(result: CorrelationResult): result is CorrelationEstimate {
  return 'estimate' in result;
}

/** Default number of bootstrap resamples for the Spearman interval. */
export const DEFAULT_BOOTSTRAP_RESAMPLES = 2000;

function checkPaired(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) throw new RangeError(`paired samples differ in length: ${x.length} and ${y.length}`);
}

/** Returns the Pearson product-moment correlation, or null when either variable is constant. */
export function pearsonR(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  checkPaired(x, y);
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0 && syy > 0)) return null;
  // Rounding can push |r| a hair past 1 for perfectly linear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Returns Pearson r with the Fisher z 95% interval tanh(atanh(r) ± 1.96 / sqrt(n - 3)). Needs
 * n ≥ 3 for r and n ≥ 4 for the interval; |r| = 1 gives the degenerate interval [r, r].
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  const n = x.length;
  if (n < 3) return { n, note: `too few runs for a correlation (n = ${n}, need at least 3)` };
  const r = pearsonR(x, y);
  if (r === null) return { n, note: 'a variable is constant, so the correlation is undefined' };
  if (n < 4) return { n, estimate: r, lo: null, hi: null };
  if (Math.abs(r) === 1) return { n, estimate: r, lo: r, hi: r };
  const z = Math.atanh(r);
  const halfWidth = Z_975 / Math.sqrt(n - 3);
  return { n, estimate: r, lo: Math.tanh(z - halfWidth), hi: Math.tanh(z + halfWidth) };
}

/** Returns 1-based ranks, tied values sharing the average of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

/** Returns Spearman's ρ (Pearson r of average ranks), or null when either variable is constant. */
export function spearmanRho(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  checkPaired(x, y);
  return pearsonR(averageRanks(x), averageRanks(y));
}

/** Returns the linear-interpolation quantile (type 7) of ascending values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/**
 * Tie groups of a sample in ascending order: `order` lists indices by value, and `groupEnd[p]`
 * is the end (exclusive) of the tie group that sorted position p belongs to.
 */
interface SortedTies {
  order: Int32Array;
  groupEnd: Int32Array;
}

function sortedTies(values: ArrayLike<number>): SortedTies {
  const n = values.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const groupEnd = new Int32Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    groupEnd.fill(end, start, end);
    start = end;
  }
  return { order, groupEnd };
}

/**
 * Writes into `ranks` the average rank of each original row within a resample that contains row
 * i `counts[i]` times. Equal values tie whether they are copies of one row or distinct rows.
 */
function resampleRanks(ties: SortedTies, counts: Int32Array, ranks: Float64Array): void {
  let before = 0;
  let position = 0;
  while (position < ties.order.length) {
    const end = ties.groupEnd[position];
    let size = 0;
    for (let p = position; p < end; p++) size += counts[ties.order[p]];
    const rank = before + (size + 1) / 2;
    for (let p = position; p < end; p++) ranks[ties.order[p]] = rank;
    before += size;
    position = end;
  }
}

/** Returns Pearson r of rows weighted by their multiplicity in a resample, or null when a side is constant. */
function weightedPearson(x: Float64Array, y: Float64Array, weights: Int32Array, total: number): number | null {
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < x.length; i++) {
    meanX += weights[i] * x[i];
    meanY += weights[i] * y[i];
  }
  meanX /= total;
  meanY /= total;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (weights[i] === 0) continue;
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxy += weights[i] * dx * dy;
    sxx += weights[i] * dx * dx;
    syy += weights[i] * dy * dy;
  }
  // Ranks are multiples of 1/2, so a constant side gives exactly 0 here.
  if (!(sxx > 0 && syy > 0)) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Returns Spearman ρ with a percentile bootstrap 95% interval: `resamples` resamples of the n
 * pairs with replacement, the 2.5% and 97.5% quantiles of their ρ. Resamples in which a variable
 * is constant are skipped. With fewer than half of them valid, the interval is null.
 * Each resample is ranked in O(n) from one initial sort, by counting how often each row was drawn.
 */
export function spearman(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rng: Rng,
  resamples = DEFAULT_BOOTSTRAP_RESAMPLES,
): CorrelationResult {
  const n = x.length;
  if (n < 3) return { n, note: `too few runs for a correlation (n = ${n}, need at least 3)` };
  const rho = spearmanRho(x, y);
  if (rho === null) return { n, note: 'a variable is constant, so the correlation is undefined' };

  const tiesX = sortedTies(x);
  const tiesY = sortedTies(y);
  const counts = new Int32Array(n);
  const ranksX = new Float64Array(n);
  const ranksY = new Float64Array(n);
  const estimates: number[] = [];
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]++;
    resampleRanks(tiesX, counts, ranksX);
    resampleRanks(tiesY, counts, ranksY);
    const value = weightedPearson(ranksX, ranksY, counts, n);
    if (value !== null) estimates.push(value);
  }
  if (estimates.length < resamples / 2) return { n, estimate: rho, lo: null, hi: null };
  estimates.sort((a, b) => a - b);
  return { n, estimate: rho, lo: quantileSorted(estimates, 0.025), hi: quantileSorted(estimates, 0.975) };
}
