/**
 * One-dimensional Gaussian kernel density estimates on an even grid, and KL divergence between
 * two densities tabulated on the same grid. Both the prior error E_π and the per-feature fidelity
 * KL use these functions, so the two numbers come from one estimator.
 */

/** Number of grid points used for per-feature KL. */
export const DEFAULT_GRID_POINTS = 512;
/** Densities are floored at this value before renormalising, so log q is always finite. */
export const DENSITY_FLOOR = 1e-10;

/** Returns the sample standard deviation (n - 1 denominator); 0 for fewer than two values. */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i] - mean) ** 2;
  return Math.sqrt(sum / (n - 1));
}

function quantileSorted(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/**
 * Returns Silverman's rule-of-thumb bandwidth, 0.9 min(σ, IQR / 1.34) n^(-1/5). When the spread is
 * zero (all values equal) it returns a small positive width relative to the values' magnitude, so
 * a collapsed sample still has a finite, narrow density.
 */
export function silvermanBandwidth(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new RangeError('silvermanBandwidth needs at least one value');
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const sigma = sampleStd(sorted);
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  let spread = sigma;
  if (iqr > 0) spread = Math.min(sigma, iqr / 1.34);
  if (!(spread > 0)) spread = sigma > 0 ? sigma : 1e-3 * Math.max(1, Math.abs(sorted[0]));
  return 0.9 * spread * Math.pow(n, -0.2);
}

/** Returns an even grid from lo to hi inclusive. */
export function evenGrid(lo: number, hi: number, points: number = DEFAULT_GRID_POINTS): Float64Array {
  if (!(hi > lo)) throw new RangeError(`evenGrid needs hi > lo, got [${lo}, ${hi}]`);
  const grid = new Float64Array(points);
  const step = (hi - lo) / (points - 1);
  for (let i = 0; i < points; i++) grid[i] = lo + i * step;
  return grid;
}

/** Returns a grid covering every sample plus `margin` on each side. */
export function gridCovering(samples: ArrayLike<number>[], margin: number, points = DEFAULT_GRID_POINTS): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of samples) {
    for (let i = 0; i < values.length; i++) {
      if (values[i] < lo) lo = values[i];
      if (values[i] > hi) hi = values[i];
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('gridCovering needs finite samples');
  const pad = Math.max(margin, 1e-9);
  return evenGrid(lo - pad, hi + pad, points);
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Evaluates the Gaussian KDE of `values` with bandwidth h on an even grid. It uses linear binning
 * and a kernel truncated at 5 bandwidths, which is exact to within the binning error when h spans
 * several grid steps. Narrower kernels fall back to the direct sum.
 */
export function kdeOnGrid(values: ArrayLike<number>, bandwidth: number, grid: Float64Array): Float64Array {
  const n = values.length;
  const points = grid.length;
  const density = new Float64Array(points);
  if (n === 0) return density;
  const lo = grid[0];
  const step = (grid[points - 1] - lo) / (points - 1);
  if (bandwidth < 2 * step) return kdeDirect(values, bandwidth, grid);

  const counts = new Float64Array(points);
  for (let i = 0; i < n; i++) {
    const position = (values[i] - lo) / step;
    if (position <= 0) counts[0] += 1;
    else if (position >= points - 1) counts[points - 1] += 1;
    else {
      const left = Math.floor(position);
      const fraction = position - left;
      counts[left] += 1 - fraction;
      counts[left + 1] += fraction;
    }
  }
  const reach = Math.min(points - 1, Math.ceil((5 * bandwidth) / step));
  const kernel = new Float64Array(reach + 1);
  for (let k = 0; k <= reach; k++) {
    const u = (k * step) / bandwidth;
    kernel[k] = Math.exp(-0.5 * u * u) / (SQRT_2PI * bandwidth * n);
  }
  for (let j = 0; j < points; j++) {
    const count = counts[j];
    if (count === 0) continue;
    const from = Math.max(0, j - reach);
    const to = Math.min(points - 1, j + reach);
    for (let g = from; g <= to; g++) density[g] += count * kernel[Math.abs(g - j)];
  }
  return density;
}

function kdeDirect(values: ArrayLike<number>, bandwidth: number, grid: Float64Array): Float64Array {
  const density = new Float64Array(grid.length);
  const scale = 1 / (SQRT_2PI * bandwidth * values.length);
  for (let g = 0; g < grid.length; g++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const u = (grid[g] - values[i]) / bandwidth;
      if (u < 8 && u > -8) sum += Math.exp(-0.5 * u * u);
    }
    density[g] = sum * scale;
  }
  return density;
}

/** Trapezoid-rule integral of tabulated values over an even grid. */
export function trapezoid(values: ArrayLike<number>, grid: Float64Array): number {
  const step = (grid[grid.length - 1] - grid[0]) / (grid.length - 1);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return step * (sum - 0.5 * (values[0] + values[values.length - 1]));
}

/** Floors a tabulated density at DENSITY_FLOOR and rescales it to integrate to 1 on the grid. */
export function normalizeDensity(density: Float64Array, grid: Float64Array): Float64Array {
  const out = new Float64Array(density.length);
  for (let i = 0; i < density.length; i++) out[i] = Math.max(density[i], DENSITY_FLOOR);
  const mass = trapezoid(out, grid);
  for (let i = 0; i < out.length; i++) out[i] /= mass;
  return out;
}

/**
 * KL(p || q) in nats between two densities tabulated on one even grid: both are floored and
 * renormalised, the integrand p log(p/q) is integrated by the trapezoid rule, and a negative
 * result (possible only from quadrature error) is clipped to 0.
 */
export function klOnGrid(p: Float64Array, q: Float64Array, grid: Float64Array): number {
  const pn = normalizeDensity(p, grid);
  const qn = normalizeDensity(q, grid);
  const integrand = new Float64Array(grid.length);
  for (let i = 0; i < grid.length; i++) integrand[i] = pn[i] * Math.log(pn[i] / qn[i]);
  return Math.max(0, trapezoid(integrand, grid));
}

/**
 * KL(p || q) in nats between the Gaussian KDEs (Silverman bandwidth) of two samples, on a grid of
 * `points` covering both samples plus three of the larger bandwidth on each side.
 */
export function kdeKl(pSamples: ArrayLike<number>, qSamples: ArrayLike<number>, points = DEFAULT_GRID_POINTS): number {
  const hp = silvermanBandwidth(pSamples);
  const hq = silvermanBandwidth(qSamples);
  const grid = gridCovering([pSamples, qSamples], 3 * Math.max(hp, hq), points);
  return klOnGrid(kdeOnGrid(pSamples, hp, grid), kdeOnGrid(qSamples, hq, grid), grid);
}

/**
 * KL(p || q) in nats between the KDE of a sample p and a density q given by its log density
 * function, on a grid covering the sample plus three bandwidths and the interval [qLo, qHi]
 * where q has most of its mass.
 */
export function kdeKlToDensity(
  pSamples: ArrayLike<number>,
  logQ: (x: number) => number,
  qLo: number,
  qHi: number,
  points = DEFAULT_GRID_POINTS,
): number {
  const hp = silvermanBandwidth(pSamples);
  const grid = gridCovering([pSamples, [qLo, qHi]], 3 * hp, points);
  const q = new Float64Array(points);
  for (let i = 0; i < points; i++) q[i] = Math.exp(logQ(grid[i]));
  return klOnGrid(kdeOnGrid(pSamples, hp, grid), q, grid);
}
