/**
 * Runs the chosen sampler and packages its result as the `sample` stage's files: the
 * reconstructed rows (samples.json, samples.csv in original units) and SamplerDiagnostics.
 */
import type { SamplerDiagnostics, SamplesFile } from '../formats.js';
import { bulkEss, rankNormalizedRhat } from './diagnostics.js';
import { runMetropolis, type ChainTrace } from './metropolis.js';
import { runRejection } from './rejection.js';
import type { SamplerOptions, SamplerRun } from './target.js';

export type SamplerName = 'mh' | 'rejection';

export interface ReconstructOptions extends SamplerOptions {
  sampler: SamplerName;
  /** Metropolis steps and burn-in. */
  steps: number;
  burnIn: number;
  /** Rejection budget of prior draws. */
  maxDraws: number;
  /** Feature names, for warnings. */
  featureNames?: readonly string[];
}

export interface Reconstruction {
  samples: SamplesFile;
  diagnostics: SamplerDiagnostics;
  /** Wall time of the sampler in milliseconds; kept out of the files so they are reproducible. */
  wallMs: number;
}

/** R-hat above this, or bulk ESS below ESS_WARNING, makes a warning. */
export const RHAT_WARNING = 1.01;
export const ESS_WARNING = 100;

/** Returns the thinned draws of one class and feature as one Float64Array per chain. */
export function classFeatureChains(trace: ChainTrace, c: number, j: number): Float64Array[] {
  const chains: Float64Array[] = [];
  for (let i = 0; i < trace.chains; i++) {
    if (trace.chainClass[i] !== c) continue;
    const chain = new Float64Array(trace.length);
    for (let k = 0; k < trace.length; k++) chain[k] = trace.draws[(i * trace.length + k) * trace.d + j];
    chains.push(chain);
  }
  return chains;
}

/** Returns R-hat and bulk ESS per class and feature; NaN where a class has no chains or too few draws. */
export function traceDiagnostics(trace: ChainTrace, numClasses: number): { rhat: number[][]; ess: number[][] } {
  const rhat: number[][] = [];
  const ess: number[][] = [];
  for (let c = 0; c < numClasses; c++) {
    rhat.push([]);
    ess.push([]);
    for (let j = 0; j < trace.d; j++) {
      const chains = classFeatureChains(trace, c, j);
      rhat[c].push(chains.length > 0 ? rankNormalizedRhat(chains) : NaN);
      ess[c].push(chains.length > 0 ? bulkEss(chains) : NaN);
    }
  }
  return { rhat, ess };
}

/** Returns one warning per class listing features with R-hat above 1.01, bulk ESS below 100, or R-hat undefined. */
export function convergenceWarnings(rhat: number[][], ess: number[][], options: ReconstructOptions): string[] {
  const warnings: string[] = [];
  rhat.forEach((values, c) => {
    if (options.classCounts[c] === 0) return;
    const label = options.classNames?.[c] ?? String(c);
    const name = (j: number) => options.featureNames?.[j] ?? `feature ${j}`;
    const highRhat = values.flatMap((value, j) => (value > RHAT_WARNING ? [`${name(j)} ${value.toFixed(3)}`] : []));
    const lowEss = ess[c].flatMap((value, j) => (value < ESS_WARNING ? [`${name(j)} ${value.toFixed(0)}`] : []));
    const undefinedRhat = values.flatMap((value, j) => (Number.isNaN(value) ? [name(j)] : []));
    if (highRhat.length > 0) warnings.push(`class "${label}": R-hat above ${RHAT_WARNING} for ${highRhat.join(', ')}; run more steps or a longer burn-in`);
    if (lowEss.length > 0) warnings.push(`class "${label}": bulk ESS below ${ESS_WARNING} for ${lowEss.join(', ')}; run more steps`);
    if (undefinedRhat.length > 0) warnings.push(`class "${label}": R-hat undefined (constant or too few draws) for ${undefinedRhat.join(', ')}`);
  });
  return warnings;
}

function samplesFile(sampler: SamplerName, run: SamplerRun, d: number): SamplesFile {
  return { sampler, x: Array.from(run.x), y: Array.from(run.y), n: run.y.length, d };
}

/** Runs `options.sampler` and returns the rows and diagnostics; warnings are also in diagnostics.warnings. */
export function reconstruct(options: ReconstructOptions): Reconstruction {
  const started = performance.now();
  const d = options.prior.numFeatures;
  if (options.sampler === 'rejection') {
    const run = runRejection(options);
    const diagnostics: SamplerDiagnostics = {
      sampler: 'rejection',
      acceptance: run.acceptance,
      modelRows: run.modelRows,
      modelCalls: run.modelCalls,
      rhat: [],
      ess: [],
      stepSize: [],
      warnings: [],
    };
    return { samples: samplesFile('rejection', run, d), diagnostics, wallMs: performance.now() - started };
  }
  const run = runMetropolis(options);
  const { rhat, ess } = traceDiagnostics(run.trace, options.classCounts.length);
  const diagnostics: SamplerDiagnostics = {
    sampler: 'mh',
    acceptance: run.acceptance,
    modelRows: run.modelRows,
    modelCalls: run.modelCalls,
    rhat,
    ess,
    stepSize: run.stepSize,
    warnings: convergenceWarnings(rhat, ess, options),
  };
  return { samples: samplesFile('mh', run, d), diagnostics, wallMs: performance.now() - started };
}

/** Formats a number for CSV with 7 significant digits, about float32 precision. */
function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(7))) : '';
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Returns the reconstructed rows as CSV in original units (x * std + mean per feature), with a
 * header of the feature names and a final `class` column of class labels.
 */
export function samplesCsv(samples: SamplesFile, features: readonly string[], classes: readonly string[], scaler: { mean: number[]; std: number[] }): string {
  const lines = [[...features, 'class'].map(csvField).join(',')];
  for (let i = 0; i < samples.n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < samples.d; j++) cells.push(formatValue(samples.x[i * samples.d + j] * scaler.std[j] + scaler.mean[j]));
    cells.push(csvField(classes[samples.y[i]]));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Returns the largest finite value, or null when there is none.
 * NOTE: an infinite R-hat (chains that never moved after burn-in) is left out because JSON
 * metrics cannot hold Infinity, but the warnings name it.
 */
export function finiteMax(rows: number[][]): number | null {
  const values = rows.flat().filter(Number.isFinite);
  return values.length > 0 ? Math.max(...values) : null;
}

/** Returns the smallest finite value, or null when there is none. */
export function finiteMin(rows: number[][]): number | null {
  const values = rows.flat().filter(Number.isFinite);
  return values.length > 0 ? Math.min(...values) : null;
}
