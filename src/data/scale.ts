/**
 * Feature standardization with the training split's mean and sample standard deviation (n - 1),
 * and its inverse for writing reconstructed rows back in original units.
 */

export interface Scaler {
  /** Per-feature training mean, original units. */
  mean: number[];
  /** Per-feature training standard deviation (n - 1 denominator), original units. */
  std: number[];
}

export interface ColumnStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Computes mean, sample standard deviation, min and max of column j over the given rows. */
export function columnStats(rows: number[][], j: number): ColumnStats {
  const n = rows.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    sum += row[j];
    if (row[j] < min) min = row[j];
    if (row[j] > max) max = row[j];
  }
  const mean = sum / n;
  let squares = 0;
  for (const row of rows) squares += (row[j] - mean) ** 2;
  const std = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  return { mean, std, min, max };
}

/** Fits a scaler on training rows (row arrays of d values). */
export function fitScaler(rows: number[][], d: number): Scaler {
  const stats = Array.from({ length: d }, (_, j) => columnStats(rows, j));
  return { mean: stats.map((s) => s.mean), std: stats.map((s) => s.std) };
}

/** Standardizes row-major values (n * d, d = scaler.mean.length): (x - mean) / std. */
export function standardize(x: ArrayLike<number>, scaler: Scaler): number[] {
  const d = scaler.mean.length;
  const out = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - scaler.mean[i % d]) / scaler.std[i % d];
  return out;
}

/** Maps standardized row-major values (n * d) back to original units: x * std + mean. */
export function unstandardize(z: ArrayLike<number>, scaler: Scaler): number[] {
  const d = scaler.mean.length;
  const out = new Array<number>(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i] * scaler.std[i % d] + scaler.mean[i % d];
  return out;
}
