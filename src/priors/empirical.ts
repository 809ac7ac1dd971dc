/**
 * The empirical prior of one feature: the Gaussian KDE (Silverman bandwidth) of its training
 * marginal, tabulated once as a log density on an even grid so the sampler interpolates a table
 * instead of summing n kernels per proposal.
 */
import { evenGrid, silvermanBandwidth } from '../divergence/kde.js';
import type { FeaturePrior } from '../formats.js';

/** Half-width of the tabulated range beyond the data, in bandwidths; the KDE mass outside is below 1e-4. */
export const EMPIRICAL_REACH_BANDWIDTHS = 4;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Returns log of the Gaussian KDE of `values` with bandwidth h at `x`, summing every kernel with
 * log-sum-exp so that points in wide gaps between clusters keep a finite log density.
 */
export function kdeLogDensityAt(values: ArrayLike<number>, bandwidth: number, x: number): number {
  let maxExponent = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const u = (x - values[i]) / bandwidth;
    const exponent = -0.5 * u * u;
    if (exponent > maxExponent) maxExponent = exponent;
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const u = (x - values[i]) / bandwidth;
    sum += Math.exp(-0.5 * u * u - maxExponent);
  }
  return maxExponent + Math.log(sum) - Math.log(values.length * bandwidth) - LOG_SQRT_2PI;
}

/**
 * Tabulates the log KDE of `values` on `points` even grid points over [min - 4h, max + 4h], then
 * shifts it so that exp of its linear interpolation integrates to 1, because the prior is 0
 * outside the grid.
 */
export function tabulateEmpiricalPrior(values: ArrayLike<number>, points: number): Extract<FeaturePrior, { kind: 'empirical' }> {
  const bandwidth = silvermanBandwidth(values);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const lo = min - EMPIRICAL_REACH_BANDWIDTHS * bandwidth;
  const hi = max + EMPIRICAL_REACH_BANDWIDTHS * bandwidth;
  const grid = evenGrid(lo, hi, points);
  const logDensity = new Float64Array(points);
  for (let g = 0; g < points; g++) logDensity[g] = kdeLogDensityAt(values, bandwidth, grid[g]);
  const logMass = Math.log(interpolatedMass(logDensity, (hi - lo) / (points - 1)));
  return { kind: 'empirical', lo, hi, logDensity: Array.from(logDensity, (value) => value - logMass) };
}

/**
 * Integral of exp(linear interpolation of a log density) over the grid: exact per cell, since
 * exp of a line integrates to step (e^b - e^a) / (b - a).
 */
export function interpolatedMass(logDensity: ArrayLike<number>, step: number): number {
  let mass = 0;
  for (let g = 0; g + 1 < logDensity.length; g++) {
    const a = logDensity[g];
    const b = logDensity[g + 1];
    const difference = b - a;
    mass += Math.abs(difference) < 1e-9 ? step * Math.exp(a) * (1 + 0.5 * difference) : (step * (Math.exp(b) - Math.exp(a))) / difference;
  }
  return mass;
}
