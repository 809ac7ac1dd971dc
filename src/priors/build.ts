/**
 * Builds the per-feature prior densities of one configuration from the standardized training
 * rows, and measures how far they are from the training marginals (the prior error E_π).
 */
import { kdeKlToDensity } from '../divergence/kde.js';
import type { FeaturePrior, PriorFile } from '../formats.js';
import { Rng, type SeedPart } from '../random.js';
import type { PriorConfig } from './config.js';
import { tabulateEmpiricalPrior } from './empirical.js';
import { createPrior } from './prior.js';

/** Standardized training rows, row-major n * d. */
export interface TrainingRows {
  x: ArrayLike<number>;
  n: number;
  d: number;
}

/** Returns column j of row-major rows. */
export function featureColumn(rows: TrainingRows, j: number): Float64Array {
  const column = new Float64Array(rows.n);
  for (let i = 0; i < rows.n; i++) column[i] = rows.x[i * rows.d + j];
  return column;
}

/**
 * Returns the sign s_j = ±1 of each feature's gaussian prior mean. The signs depend only on the
 * dataset and seed, so every gaussian prior of one (dataset, seed) moves in the same directions and
 * a larger shift is strictly a worse guess.
 */
export function priorSigns(dataset: SeedPart, seed: SeedPart, d: number): number[] {
  const rng = Rng.from('prior-signs', dataset, seed);
  return Array.from({ length: d }, () => (rng.uniform() < 0.5 ? -1 : 1));
}

/** Returns the per-feature priors of `config` for `rows`; `dataset` and `seed` fix the gaussian signs. */
export function buildFeaturePriors(config: PriorConfig, rows: TrainingRows, dataset: SeedPart, seed: SeedPart): FeaturePrior[] {
  switch (config.kind) {
    case 'gaussian': {
      const signs = priorSigns(dataset, seed, rows.d);
      return signs.map((sign) => ({ kind: 'gaussian', mean: config.shift * sign, sd: config.scale }));
    }
    case 'uniform':
      return Array.from({ length: rows.d }, (_, j) => {
        const column = featureColumn(rows, j);
        let lo = Infinity;
        let hi = -Infinity;
        for (const value of column) {
          if (value < lo) lo = value;
          if (value > hi) hi = value;
        }
        const width = hi > lo ? hi - lo : 1;
        return { kind: 'uniform', lo: lo - config.margin * width, hi: hi + config.margin * width };
      });
    case 'empirical':
      return Array.from({ length: rows.d }, (_, j) => tabulateEmpiricalPrior(featureColumn(rows, j), config.points));
  }
}

/** Interval that contains nearly all the mass of a feature prior, for the KL grid. */
function priorSupport(prior: FeaturePrior): [number, number] {
  if (prior.kind === 'gaussian') return [prior.mean - 4 * prior.sd, prior.mean + 4 * prior.sd];
  return [prior.lo, prior.hi];
}

/**
 * Returns KL(p*_j || π_j) in nats per feature, p*_j the Gaussian KDE of the training marginal, with
 * the estimator used for reconstruction fidelity (same bandwidth rule, grid and floor).
 */
export function perFeaturePriorError(features: readonly FeaturePrior[], rows: TrainingRows): number[] {
  const prior = createPrior(features);
  return features.map((feature, j) => {
    const [lo, hi] = priorSupport(feature);
    return kdeKlToDensity(featureColumn(rows, j), (value) => prior.featureLogDensity(j, value), lo, hi);
  });
}

/** Builds the whole `prior.json` content: priors, E_π = mean_j KL(p*_j || π_j) and A_π = exp(-E_π). */
export function buildPriorFile(config: PriorConfig, rows: TrainingRows, dataset: SeedPart, seed: SeedPart): PriorFile {
  const features = buildFeaturePriors(config, rows, dataset, seed);
  const perFeatureError = perFeaturePriorError(features, rows);
  const priorError = perFeatureError.reduce((sum, value) => sum + value, 0) / perFeatureError.length;
  return {
    kind: config.kind,
    config: { ...config },
    features,
    priorError,
    priorAccuracy: Math.exp(-priorError),
    perFeatureError,
  };
}
