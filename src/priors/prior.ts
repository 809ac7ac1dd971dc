/**
 * Evaluation of a product prior π(x) = Π_j π_j(x_j) over standardized features, as stored in
 * `prior.json`. The sampler calls `logDensity` for every proposal, so the empirical (KDE) prior
 * is a tabulated log density with linear interpolation rather than a kernel sum, and every
 * per-feature constant is precomputed into typed arrays.
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

const GAUSSIAN = 0;
const UNIFORM = 1;
const EMPIRICAL = 2;

/**
 * Per-feature constants in flat arrays, so the hot loop reads numbers instead of objects:
 * gaussian (a = mean, b = 1 / sd, c = -log sd - log sqrt(2π)); uniform (a = lo, b = hi,
 * c = -log(hi - lo)); empirical (a = lo, b = (points - 1) / (hi - lo), table = log densities).
 */
interface CompiledPrior {
  kind: Int8Array;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  tables: (Float64Array | null)[];
}

function compile(features: readonly FeaturePrior[]): CompiledPrior {
  const d = features.length;
  const compiled: CompiledPrior = {
    kind: new Int8Array(d),
    a: new Float64Array(d),
    b: new Float64Array(d),
    c: new Float64Array(d),
    tables: new Array<Float64Array | null>(d).fill(null),
  };
  features.forEach((feature, j) => {
    switch (feature.kind) {
      case 'gaussian':
        compiled.kind[j] = GAUSSIAN;
        compiled.a[j] = feature.mean;
        compiled.b[j] = 1 / feature.sd;
        compiled.c[j] = -Math.log(feature.sd) - LOG_SQRT_2PI;
        break;
      case 'uniform':
        compiled.kind[j] = UNIFORM;
        compiled.a[j] = feature.lo;
        compiled.b[j] = feature.hi;
        compiled.c[j] = -Math.log(feature.hi - feature.lo);
        break;
      case 'empirical':
        compiled.kind[j] = EMPIRICAL;
        compiled.a[j] = feature.lo;
        compiled.b[j] = (feature.logDensity.length - 1) / (feature.hi - feature.lo);
        compiled.tables[j] = Float64Array.from(feature.logDensity);
        break;
    }
  });
  return compiled;
}

function compiledLogDensity(prior: CompiledPrior, j: number, value: number): number {
  switch (prior.kind[j]) {
    case GAUSSIAN: {
      const z = (value - prior.a[j]) * prior.b[j];
      return prior.c[j] - 0.5 * z * z;
    }
    case UNIFORM:
      return value >= prior.a[j] && value <= prior.b[j] ? prior.c[j] : -Infinity;
    default: {
      const table = prior.tables[j] as Float64Array;
      const last = table.length - 1;
      const position = (value - prior.a[j]) * prior.b[j];
      if (!(position >= 0 && position <= last)) return -Infinity;
      const left = position >= last ? last - 1 : Math.floor(position);
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
  const compiled = compile(features);
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
      for (let j = 0; j < d; j++) sum += compiledLogDensity(compiled, j, rows[offset + j]);
      return sum;
    },
    featureLogDensity: (feature, value) => compiledLogDensity(compiled, feature, value),
    sample(rng, rows, row) {
      const offset = row * d;
      for (let j = 0; j < d; j++) rows[offset + j] = samplers[j](rng);
    },
  };
}
