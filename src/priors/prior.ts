/**
 * Evaluation of a product prior π(x) = Π_j π_j(x_j) over standardized features, as stored in
 * `prior.json`. The sampler calls `logDensity` for every proposal, so the empirical (KDE) prior
 * is a tabulated log density with linear interpolation rather than a kernel sum.
 */
import type { FeaturePrior } from '../formats.js';
import type { Rng } from '../random.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export interface Prior {
  readonly numFeatures: number;
  readonly features: readonly FeaturePrior[];
  /** Log density of row `row` of `rows` (numFeatures values per row); -Infinity outside the support. */
  logDensity(rows: Float32Array, row: number): number;
  /** Log density of one feature value. */
  featureLogDensity(feature: number, value: number): number;
  /** Writes one draw into rows[row * numFeatures ...]. */
  sample(rng: Rng, rows: Float32Array, row: number): void;
}

function featureLogDensity(prior: FeaturePrior, value: number): number {
  switch (prior.kind) {
    case 'gaussian': {
      const z = (value - prior.mean) / prior.sd;
      return -0.5 * z * z - Math.log(prior.sd) - LOG_SQRT_2PI;
    }
    case 'uniform':
      return value >= prior.lo && value <= prior.hi ? -Math.log(prior.hi - prior.lo) : -Infinity;
    case 'empirical': {
      const table = prior.logDensity;
      const last = table.length - 1;
      const position = ((value - prior.lo) / (prior.hi - prior.lo)) * last;
      if (!(position >= 0 && position <= last)) return -Infinity;
      const left = Math.min(Math.floor(position), last - 1);
      const fraction = position - left;
      return table[left] + (table[left + 1] - table[left]) * fraction;
    }
  }
}

/** Draws from a tabulated density by inverting its piecewise-linear CDF on the grid. */
function makeEmpiricalSampler(prior: Extract<FeaturePrior, { kind: 'empirical' }>): (rng: Rng) => number {
  const points = prior.logDensity.length;
  const step = (prior.hi - prior.lo) / (points - 1);
  const cdf = new Float64Array(points);
  for (let i = 1; i < points; i++) {
    cdf[i] = cdf[i - 1] + 0.5 * step * (Math.exp(prior.logDensity[i - 1]) + Math.exp(prior.logDensity[i]));
  }
  const total = cdf[points - 1];
  return (rng) => {
    const target = rng.uniform() * total;
    let low = 0;
    let high = points - 1;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (cdf[middle] < target) low = middle;
      else high = middle;
    }
    const width = cdf[high] - cdf[low];
    const fraction = width > 0 ? (target - cdf[low]) / width : 0.5;
    return prior.lo + (low + fraction) * step;
  };
}

/** Builds an evaluable prior from per-feature specifications. */
export function createPrior(features: readonly FeaturePrior[]): Prior {
  const d = features.length;
  const samplers = features.map((feature): ((rng: Rng) => number) => {
    switch (feature.kind) {
      case 'gaussian':
        return (rng) => feature.mean + feature.sd * rng.normal();
      case 'uniform':
        return (rng) => feature.lo + (feature.hi - feature.lo) * rng.uniform();
      case 'empirical':
        return makeEmpiricalSampler(feature);
    }
  });
  return {
    numFeatures: d,
    features,
    logDensity(rows, row) {
      let sum = 0;
      const offset = row * d;
      for (let j = 0; j < d; j++) sum += featureLogDensity(features[j], rows[offset + j]);
      return sum;
    },
    featureLogDensity: (feature, value) => featureLogDensity(features[feature], value),
    sample(rng, rows, row) {
      const offset = row * d;
      for (let j = 0; j < d; j++) rows[offset + j] = samplers[j](rng);
    },
  };
}
