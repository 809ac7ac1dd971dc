/**
 * The k-nearest-neighbour estimator of KL(P || Q) from samples, after Wang, Kulkarni and Verdú,
 * "Divergence estimation for multidimensional densities via k-nearest-neighbor distances"
 * (IEEE Transactions on Information Theory 55(5), 2009):
 *
 *   D̂(P || Q) = (d / n) Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n - 1)),
 *
 * where ρ_k(i) is the Euclidean distance from X_i to its k-th nearest neighbour among the other
 * n - 1 rows of the P sample. ν_k(i) is the distance to its k-th nearest neighbour among the m
 * rows of the Q sample.
 *
 * Duplicate rows: an exact copy of X_i (distance 0) would make ρ_k(i) = 0 and the sum infinite, so
 * both searches skip zero distances and use the k-th smallest positive distance. A row with fewer
 * than k positive distances uses the largest positive one it has, and a row with none in either
 * sample is left out of the average. Ties therefore count like their nearest distinct neighbour;
 * the estimate stays finite and the bias is confined to the duplicated rows.
 */

/** Default neighbour rank k. */
export const DEFAULT_KNN_K = 5;

/** Rows of a sample: row-major values, `n` rows of `d` features. */
export interface Sample {
  x: ArrayLike<number>;
  n: number;
  d: number;
}

/**
 * Returns the k-th smallest positive Euclidean distance from row `row` of `from` to the rows of
 * `to`, skipping row `skipRow` of `to` (the row itself in an own-sample search, or -1). Returns the
 * largest positive distance when fewer than k exist, and 0 when there is none.
 */
function kthPositiveDistance(
  from: Float64Array,
  row: number,
  to: Float64Array,
  rows: number,
  d: number,
  k: number,
  skipRow: number,
  nearest: Float64Array,
): number {
  // `nearest` contains the smallest squared distances found so far, ascending, `count` of them.
  let count = 0;
  const offset = row * d;
  for (let j = 0; j < rows; j++) {
    if (j === skipRow) continue;
    const other = j * d;
    let squared = 0;
    for (let f = 0; f < d; f++) {
      const diff = from[offset + f] - to[other + f];
      squared += diff * diff;
    }
    if (squared === 0) continue;
    if (count === k && squared >= nearest[k - 1]) continue;
    let position = count < k ? count++ : k - 1;
    while (position > 0 && nearest[position - 1] > squared) {
      nearest[position] = nearest[position - 1];
      position--;
    }
    nearest[position] = squared;
  }
  return count === 0 ? 0 : Math.sqrt(nearest[count - 1]);
}

function toFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/**
 * Estimates KL(P || Q) in nats from a sample of P and a sample of Q with the same number of
 * features, by brute-force neighbour search (O(n (n + m) d) time, O(k) extra memory). The
 * neighbour rank is lowered to what the sample sizes allow (k ≤ n - 1 and k ≤ m). Returns 0 when
 * no row has a positive distance in both samples (for example every row identical), and NaN when
 * a sample is too small to estimate anything (n < 2 or m < 1).
 * NOTE: the estimate can be negative (it is unbiased only asymptotically); callers keep the sign.
 */
export function knnKl(p: Sample, q: Sample, k: number = DEFAULT_KNN_K): number {
  if (p.d !== q.d) throw new RangeError(`knnKl needs samples with equal dimension, got ${p.d} and ${q.d}`);
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`knnKl needs a positive integer k, got ${k}`);
  const { n, d } = p;
  const m = q.n;
  if (n < 2 || m < 1) return NaN;
  const rank = Math.min(k, n - 1, m);
  const px = toFloat64(p.x);
  const qx = toFloat64(q.x);
  const nearest = new Float64Array(rank);
  let sum = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const rho = kthPositiveDistance(px, i, px, n, d, rank, i, nearest);
    const nu = kthPositiveDistance(px, i, qx, m, d, rank, -1, nearest);
    if (rho === 0 || nu === 0) continue;
    sum += Math.log(nu / rho);
    used++;
  }
  if (used === 0) return 0;
  return (d / used) * sum + Math.log(m / (n - 1));
}
