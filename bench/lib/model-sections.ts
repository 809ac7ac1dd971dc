/**
 * Benchmark sections for the model hot path: predictProba against scikit-learn / xgboost, and the
 * Metropolis sampler against the same algorithm in NumPy. Each fills its figures into the results
 * record, or a `skipped` reason per figure when a side is not available.
 */
import type { Classifier, ModelFamily } from '../../src/models/classifier.js';
import type { BenchData } from './bench-data.js';
import { FAMILIES, timePredict, timeSampler, trainFamilies, type TrainedFamily } from './ours.js';
import { maxOrNull } from './pipelines.js';
import { ratio, type BenchResults } from './results.js';
import { runPythonPredict, runPythonSampler } from './theirs.js';

export interface SectionContext {
  results: BenchResults;
  data: BenchData;
  /** The data as CSV, for the Python programs. */
  csv: string;
  /** Debian Python with sklearn and xgboost, or why there is none. */
  python: { path: string } | { missing: string };
  repeats: number;
  log(message: string): void;
  /** scikit-learn / xgboost µs per row at the sampler's batch, filled by predictSection. */
  pythonUsPerRowAtChains?: Record<string, number>;
}

export const PREDICT_BATCHES = [100, 1000] as const;
export const SAMPLER_CHAINS = 200;
export const SAMPLER_STEPS = 400;

function skip(results: BenchResults, fields: readonly string[], reason: string): void {
  for (const field of fields) results.skipped[field] = reason;
}

/** Trains our three families, or records why the model modules are not usable. */
export async function trainOurs(context: SectionContext): Promise<Partial<Record<ModelFamily, Classifier>>> {
  context.log('training our models (mlp, xgboost, tree)');
  let trained: Record<ModelFamily, TrainedFamily | string>;
  try {
    trained = await trainFamilies(context.data);
  } catch (error) {
    const reason = `src/models is not usable: ${(error as Error).message}`;
    skip(context.results, ['predict_rows_per_s', 'sampler_overhead', 'chain_steps_per_s'], reason);
    return {};
  }
  const classifiers: Partial<Record<ModelFamily, Classifier>> = {};
  for (const family of FAMILIES) {
    const entry = trained[family];
    if (typeof entry === 'string') skip(context.results, [`predict_rows_per_s.${family}`, `chain_steps_per_s.${family}`], entry);
    else classifiers[family] = entry.classifier;
  }
  return classifiers;
}

/** Measures predictProba rows per second at batch 100 and 1,000 on both sides. */
export async function predictSection(context: SectionContext, classifiers: Partial<Record<ModelFamily, Classifier>>): Promise<void> {
  const { results, data, repeats } = context;
  for (const family of FAMILIES) {
    const classifier = classifiers[family];
    if (classifier === undefined) continue;
    context.log(`timing our predictProba: ${family}`);
    const timing = timePredict(classifier, data, PREDICT_BATCHES, repeats);
    results.predict_rows_per_s[family] = timing[1000].rowsPerS;
    results.predict_rows_per_s_batch100[family] = timing[100].rowsPerS;
  }
  if ('missing' in context.python) {
    skip(results, ['python_predict_rows_per_s', 'predict_vs_python'], context.python.missing);
    return;
  }
  context.log('timing scikit-learn and xgboost predict_proba (bench/python/predict.py)');
  try {
    const { result, peakRssMb } = await runPythonPredict(context.python.path, context.csv, [...PREDICT_BATCHES, SAMPLER_CHAINS], repeats);
    results.peak_rss_mb_by_program['python predict.py'] = peakRssMb;
    context.pythonUsPerRowAtChains = {};
    for (const [family, figures] of Object.entries(result.families)) {
      results.python_predict_rows_per_s[family] = figures.batches['1000'].rows_per_s;
      results.python_predict_rows_per_s_batch100[family] = figures.batches['100'].rows_per_s;
      context.pythonUsPerRowAtChains[family] = figures.batches[String(SAMPLER_CHAINS)].us_per_row;
    }
  } catch (error) {
    skip(results, ['python_predict_rows_per_s', 'predict_vs_python'], (error as Error).message);
  }
  for (const family of FAMILIES) {
    results.predict_vs_python[family] = ratio(results.predict_rows_per_s[family], results.python_predict_rows_per_s[family]);
    results.predict_vs_python_batch100[family] = ratio(results.predict_rows_per_s_batch100[family], results.python_predict_rows_per_s_batch100[family]);
  }
}

/** Measures chain steps per second of our sampler and the NumPy one, and our sampler's overhead. */
export async function samplerSection(context: SectionContext, classifiers: Partial<Record<ModelFamily, Classifier>>): Promise<void> {
  const { results, data, repeats } = context;
  results.sampler_chains = SAMPLER_CHAINS;
  results.sampler_steps = SAMPLER_STEPS;
  for (const family of FAMILIES) {
    const classifier = classifiers[family];
    if (classifier === undefined) continue;
    context.log(`timing our Metropolis sampler: ${family}`);
    try {
      const timing = await timeSampler(classifier, data, SAMPLER_CHAINS, SAMPLER_STEPS, repeats);
      // predictProba alone at the sampler's batch: one row per chain.
      const perRow = timePredict(classifier, data, [SAMPLER_CHAINS], repeats)[SAMPLER_CHAINS].usPerRow;
      results.chain_steps_per_s[family] = timing.chainStepsPerS;
      results.sampler_overhead[family] = timing.usPerChainStep / perRow;
      results.sampler_predict_share[family] = timing.predictShare;
    } catch (error) {
      skip(results, [`chain_steps_per_s.${family}`, `sampler_overhead.${family}`], `src/samplers is not usable: ${(error as Error).message}`);
    }
  }
  if ('missing' in context.python) {
    skip(results, ['numpy_chain_steps_per_s', 'sampler_vs_numpy'], context.python.missing);
    return;
  }
  context.log('timing the NumPy sampler (bench/python/sampler.py)');
  try {
    const { result, peakRssMb } = await runPythonSampler(context.python.path, context.csv, SAMPLER_CHAINS, SAMPLER_STEPS, repeats);
    results.peak_rss_mb_by_program['python sampler.py'] = peakRssMb;
    for (const [family, figures] of Object.entries(result.families)) {
      results.numpy_chain_steps_per_s[family] = figures.chain_steps_per_s;
      results.numpy_sampler_overhead[family] = ratio(figures.us_per_chain_step, context.pythonUsPerRowAtChains?.[family]);
    }
  } catch (error) {
    skip(results, ['numpy_chain_steps_per_s', 'sampler_vs_numpy'], (error as Error).message);
  }
  for (const family of FAMILIES) results.sampler_vs_numpy[family] = ratio(results.chain_steps_per_s[family], results.numpy_chain_steps_per_s[family]);
}

/** Records this harness's own peak memory, which includes our in-process models and sampler. */
export function recordHarnessMemory(results: BenchResults): void {
  const harnessMb = process.resourceUsage().maxRSS / 1024;
  results.peak_rss_mb_by_program['bench harness (our models and sampler)'] = harnessMb;
  results.peak_rss_mb = maxOrNull(results.peak_rss_mb, harnessMb);
}
