/**
 * Convergence diagnostics for several Markov chains targeting one distribution, as defined by
 * Vehtari, Gelman, Simpson, Carpenter and Bürkner, "Rank-normalization, folding, and
 * localization: an improved R-hat for assessing convergence of MCMC", Bayesian Analysis 16(2), 2021:
 * rank-normalised split R-hat (the maximum of the bulk and folded variants) and bulk effective
 * sample size. Each chain is one Float64Array of draws in order; all chains have equal length.
 * Results are NaN when a chain is too short or every draw is equal.
 */
import { normalQuantile } from './normal-quantile.js';

/** Splits every chain into its first and second half; an odd chain loses its middle draw. */
export function splitChains(chains: readonly Float64Array[]): Float64Array[] {
  const split: Float64Array[] = [];
  for (const chain of chains) {
    const half = Math.floor(chain.length / 2);
    split.push(chain.slice(0, half), chain.slice(chain.length - half));
  }
  return split;
}

/**
 * Replaces every draw by Φ^-1((r - 3/8) / (S + 1/4)), r its rank among all S pooled draws
 * (tied draws share their average rank).
 */
export function rankNormalize(chains: readonly Float64Array[]): Float64Array[] {
  const length = chains[0].length;
  const total = chains.length * length;
  const pooled = new Float64Array(total);
  chains.forEach((chain, c) => pooled.set(chain, c * length));
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => pooled[a] - pooled[b]);
  const ranks = new Float64Array(total);
  for (let start = 0; start < total; ) {
    let end = start + 1;
    while (end < total && pooled[order[end]] === pooled[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = averageRank;
    start = end;
  }
  return chains.map((_, c) =>
    Float64Array.from({ length }, (_, t) => normalQuantile((ranks[c * length + t] - 0.375) / (total + 0.25))),
  );
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Sample variance with the n - 1 denominator. */
function variance(values: ArrayLike<number>): number {
  const center = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - center) ** 2;
  return sum / (values.length - 1);
}

/**
 * Returns the potential scale reduction sqrt(((n - 1) / n W + B / n) / W) of chains as given,
 * W the mean within-chain variance and B / n the variance of the chain means.
 */
export function basicRhat(chains: readonly Float64Array[]): number {
  const n = chains[0]?.length ?? 0;
  if (chains.length < 2 || n < 2) return NaN;
  const within = mean(chains.map(variance));
  const betweenOverN = variance(chains.map(mean));
  return Math.sqrt((n - 1) / n + betweenOverN / within);
}

/** Returns |x - median| of every draw, the median taken over all chains pooled. */
export function foldChains(chains: readonly Float64Array[]): Float64Array[] {
  const pooled = Float64Array.from(chains.flatMap((chain) => Array.from(chain))).sort();
  const middle = pooled.length >> 1;
  const median = pooled.length % 2 === 1 ? pooled[middle] : 0.5 * (pooled[middle - 1] + pooled[middle]);
  return chains.map((chain) => chain.map((value) => Math.abs(value - median)));
}

/** Returns the rank-normalised split R-hat: the maximum of the bulk and the folded R-hat. */
export function rankNormalizedRhat(chains: readonly Float64Array[]): number {
  if (chains.length === 0 || chains[0].length < 4 || isConstant(chains)) return NaN;
  const bulk = basicRhat(rankNormalize(splitChains(chains)));
  const folded = basicRhat(rankNormalize(splitChains(foldChains(chains))));
  return Math.max(bulk, folded);
}

function isConstant(chains: readonly Float64Array[]): boolean {
  const first = chains[0][0];
  return chains.every((chain) => chain.every((value) => value === first));
}

/** Returns the biased autocovariance (1 / n) Σ_t (x_t - x̄)(x_{t+k} - x̄) for lags 0 .. n - 1. */
export function autocovariance(chain: Float64Array): Float64Array {
  const n = chain.length;
  const center = mean(chain);
  const centered = chain.map((value) => value - center);
  const result = new Float64Array(n);
  for (let lag = 0; lag < n; lag++) {
    let sum = 0;
    for (let t = 0; t + lag < n; t++) sum += centered[t] * centered[t + lag];
    result[lag] = sum / n;
  }
  return result;
}

/**
 * Returns the effective sample size of chains as given: autocorrelations ρ_t = 1 - (W - mean
 * autocovariance_t) / var⁺ combined across chains, summed over Geyer's initial positive sequence
 * of pair sums made monotone, with the truncation and antithetic bound of the paper.
 */
export function basicEss(chains: readonly Float64Array[]): number {
  const n = chains[0]?.length ?? 0;
  // Geyer's sequence needs at least one pair past lag 1, so 6 draws per chain.
  if (chains.length === 0 || n < 6) return NaN;
  const m = chains.length;
  const acov = new Float64Array(n);
  for (const chain of chains) {
    const own = autocovariance(chain);
    for (let lag = 0; lag < n; lag++) acov[lag] += own[lag] / m;
  }
  const meanVariance = (acov[0] * n) / (n - 1);
  let varPlus = (meanVariance * (n - 1)) / n;
  if (m > 1) varPlus += variance(chains.map(mean));
  if (!(varPlus > 0)) return NaN;
  const rho = (lag: number): number => 1 - (meanVariance - acov[lag]) / varPlus;
  const { rhoHat, maxLag } = initialPositiveSequence(rho, n);
  makeMonotone(rhoHat, maxLag);
  let sum = 0;
  for (let lag = 0; lag < maxLag; lag++) sum += rhoHat[lag];
  const draws = m * n;
  const tau = Math.max(-1 + 2 * sum + rhoHat[maxLag], 1 / Math.log10(draws));
  return draws / tau;
}

/**
 * Geyer's initial positive sequence: autocorrelations in pairs (even, odd lag) while each pair
 * sums to more than 0. Returns them and the first lag past the sequence, whose even term is kept
 * when positive (the paper's improved estimate).
 */
function initialPositiveSequence(rho: (lag: number) => number, n: number): { rhoHat: Float64Array; maxLag: number } {
  const rhoHat = new Float64Array(n + 1);
  let t = 0;
  let even = 1;
  let odd = rho(1);
  rhoHat[0] = even;
  rhoHat[1] = odd;
  while (t < n - 5 && even + odd > 0) {
    t += 2;
    even = rho(t);
    odd = rho(t + 1);
    if (even + odd >= 0) {
      rhoHat[t] = even;
      rhoHat[t + 1] = odd;
    }
  }
  if (even > 0) rhoHat[t] = even;
  return { rhoHat, maxLag: t };
}

/** Geyer's initial monotone sequence: no pair sum may exceed the previous pair's. */
function makeMonotone(rhoHat: Float64Array, maxLag: number): void {
  for (let t = 2; t <= maxLag - 2; t += 2) {
    if (rhoHat[t] + rhoHat[t + 1] > rhoHat[t - 2] + rhoHat[t - 1]) {
      rhoHat[t] = (rhoHat[t - 2] + rhoHat[t - 1]) / 2;
      rhoHat[t + 1] = rhoHat[t];
    }
  }
}

/** Returns the bulk effective sample size: basicEss of the rank-normalised split chains. */
export function bulkEss(chains: readonly Float64Array[]): number {
  if (chains.length === 0 || chains[0].length < 12 || isConstant(chains)) return NaN;
  return basicEss(rankNormalize(splitChains(chains)));
}
