/**
 * Marginal density curves for plotting: the Gaussian KDE (Silverman bandwidth) of each feature of
 * several samples on one shared grid, converted from standardized space back to original units.
 */
import type { MarginalsFile } from '../formats.js';
import { gridCovering, kdeOnGrid, silvermanBandwidth } from './kde.js';
import { column } from './fidelity.js';

/** Grid points per feature in `marginals.json`: enough for a smooth line, small enough to ship. */
export const MARGINAL_GRID_POINTS = 128;

/** Row-major standardized rows of one sample with `d` features. */
export interface MarginalSamples {
  real: ArrayLike<number>;
  reconstructed: ArrayLike<number>;
  prior: ArrayLike<number>;
}

/**
 * Tabulates the KDE of feature values on `grid` (standardized), or zeros for an empty sample.
 * Values are densities per standardized unit.
 */
function densityOn(values: Float64Array, grid: Float64Array): Float64Array {
  if (values.length === 0) return new Float64Array(grid.length);
  return kdeOnGrid(values, silvermanBandwidth(values), grid);
}

/**
 * Returns per-feature KDE curves of the real, reconstructed and prior samples on one grid per
 * feature covering all three samples plus three of the largest bandwidth. The grid is in original
 * units x = mean + std z, and densities are divided by std so each curve still integrates to 1.
 */
export function marginalCurves(
  samples: MarginalSamples,
  d: number,
  names: readonly string[],
  scaler: { mean: number[]; std: number[] },
  points = MARGINAL_GRID_POINTS,
): MarginalsFile {
  const features: MarginalsFile['features'] = [];
  for (let f = 0; f < d; f++) {
    const real = column(samples.real, d, f);
    const reconstructed = column(samples.reconstructed, d, f);
    const prior = column(samples.prior, d, f);
    const present = [real, reconstructed, prior].filter((values) => values.length > 0);
    const widest = Math.max(...present.map((values) => silvermanBandwidth(values)));
    const grid = gridCovering(present, 3 * widest, points);
    const mean = scaler.mean[f];
    const std = scaler.std[f];
    const toOriginal = (density: Float64Array): number[] => Array.from(density, (value) => value / std);
    features.push({
      name: names[f],
      grid: Array.from(grid, (z) => mean + std * z),
      real: toOriginal(densityOn(real, grid)),
      reconstructed: toOriginal(densityOn(reconstructed, grid)),
      prior: toOriginal(densityOn(prior, grid)),
    });
  }
  return { features };
}
