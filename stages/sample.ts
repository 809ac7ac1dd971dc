/**
 * Stage `sample`: reconstructs training rows from a trained model by sampling, for each class c,
 * log q_c(x) = τ log p~(c|x) + Σ_j log π_j(x_j), with the training set's class counts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../src/errors.js';
import type { DatasetFile, PriorFile } from '../src/formats.js';
import { createPrior } from '../src/priors/prior.js';
import { finiteMax, finiteMin, reconstruct, samplesCsv, type Reconstruction, type SamplerName } from '../src/samplers/reconstruct.js';
import { inputPath, readInputJson, singleInput, type JsonObject, type StageDefinition } from '../src/stage-api.js';

interface SampleParams extends JsonObject {
  sampler: SamplerName;
  steps: number;
  burnIn: number | null;
  alpha: number;
  temperature: number;
  maxDraws: number;
  seed: number;
}

function checkParams(params: SampleParams): number {
  const burnIn = params.burnIn ?? Math.floor(params.steps / 2);
  if (!Number.isInteger(burnIn) || burnIn < 0 || burnIn > params.steps) {
    throw new InputError(`Invalid sample param burnIn ${JSON.stringify(params.burnIn)}: expected an integer from 0 to steps (${params.steps}).`, {
      value: JSON.stringify(params.burnIn),
      hint: `set burnIn between 0 and ${params.steps}, or null for half of steps`,
    });
  }
  if (!(params.temperature > 0)) {
    throw new InputError(`Invalid sample param temperature ${params.temperature}: expected a number > 0.`, {
      value: String(params.temperature),
      hint: 'set temperature > 0; 1 samples the model posterior itself',
    });
  }
  return burnIn;
}

function countClasses(dataset: DatasetFile): number[] {
  const counts = new Array<number>(dataset.classes.length).fill(0);
  for (const label of dataset.train.y) counts[label]++;
  return counts;
}

/** Writes samples.json, samples.csv (original units) and diagnostics.json into `outDir`. */
async function writeOutputs(outDir: string, result: Reconstruction, dataset: DatasetFile): Promise<void> {
  await writeFile(join(outDir, 'samples.json'), `${JSON.stringify(result.samples)}\n`);
  await writeFile(join(outDir, 'samples.csv'), samplesCsv(result.samples, dataset.features, dataset.classes, dataset.scaler));
  await writeFile(join(outDir, 'diagnostics.json'), `${JSON.stringify(result.diagnostics, null, 1)}\n`);
}

const sample: StageDefinition<SampleParams> = {
  kind: 'sample',
  description: 'Reconstructs training rows from a model and a prior by Metropolis-Hastings or rejection sampling',
  cpu: true,
  params: {
    sampler: { type: 'string', enum: ['mh', 'rejection'], default: 'mh', description: 'mh (random-walk Metropolis, one chain per row) or rejection (exact, independent draws)' },
    steps: { type: 'integer', minimum: 1, default: 2000, description: 'Metropolis steps per chain' },
    burnIn: { type: 'any', default: null, description: 'Metropolis steps of step-size adaptation before the chain is kept (integer, null for half of steps)' },
    alpha: { type: 'number', minimum: 0, default: 1e-3, description: 'Likelihood smoothing: p~ = (p + alpha) / (1 + K alpha)' },
    temperature: { type: 'number', minimum: 0, default: 1, description: 'Temperature τ > 0 on the log likelihood' },
    maxDraws: { type: 'integer', minimum: 1, default: 2_000_000, description: 'Rejection sampling budget of prior draws' },
    seed: { type: 'integer', default: '${seed ?? 0}', description: 'Seed of the sampler' },
  },
  inputs: {
    data: { description: 'Ingest instance: dataset.json (class counts, scaler)' },
    model: { description: 'Train-base instance: the trained classifier' },
    prior: { description: 'Choose-prior instance: prior.json' },
  },
  async run(params, inputs, ctx) {
    const burnIn = checkParams(params);
    const dataset = await readInputJson<DatasetFile>(singleInput(inputs, 'data'), 'dataset.json');
    const priorFile = await readInputJson<PriorFile>(singleInput(inputs, 'prior'), 'prior.json');
    const modelRef = singleInput(inputs, 'model');
    const { loadClassifier } = await import('../src/models/index.js');
    const classifier = await loadClassifier((file) => inputPath(modelRef, file));
    try {
      const d = dataset.features.length;
      if (classifier.numFeatures !== d || priorFile.features.length !== d || classifier.numClasses !== dataset.classes.length) {
        throw new InputError(
          `Inputs of ${ctx.instanceId} disagree: the dataset has ${d} features and ${dataset.classes.length} classes, the model ${classifier.numFeatures} features and ${classifier.numClasses} classes, the prior ${priorFile.features.length} features.`,
          { hint: 'wire data, model and prior from the same dataset (same dataset and seed axes)' },
        );
      }
      const { samples, diagnostics, wallMs } = reconstruct({
        classifier,
        prior: createPrior(priorFile.features),
        classCounts: countClasses(dataset),
        alpha: params.alpha,
        temperature: params.temperature,
        rng: ctx.rng('sampler'),
        classNames: dataset.classes,
        featureNames: dataset.features,
        signal: ctx.signal,
        onProgress: (done, total) => ctx.progress(done, total),
        sampler: params.sampler,
        steps: params.steps,
        burnIn,
        maxDraws: params.maxDraws,
      });
      await writeOutputs(ctx.outDir, { samples, diagnostics, wallMs }, dataset);
      for (const warning of diagnostics.warnings) ctx.warn(warning);

      const acceptance = diagnostics.acceptance.reduce((sum, rate) => sum + rate, 0) / diagnostics.acceptance.length;
      ctx.log(`${params.sampler}: ${samples.n} rows, acceptance ${diagnostics.acceptance.map((rate) => rate.toFixed(3)).join(' / ')}, ${diagnostics.modelCalls} model calls over ${diagnostics.modelRows} rows, ${wallMs.toFixed(0)} ms`);
      return { metrics: { acceptance, rhatMax: finiteMax(diagnostics.rhat), essMin: finiteMin(diagnostics.ess), wallMs: Math.round(wallMs) } };
    } finally {
      classifier.dispose();
    }
  },
};

export default sample;
