/**
 * Stage `train-base`: trains the model under attack on the ingested training rows, optionally with
 * a fraction of labels replaced (label noise) to lower its accuracy, and scores it on the test set.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetFile, ModelMetrics } from '../src/formats.js';
import { checkParam } from '../src/config/param-path.js';
import { applyLabelNoise } from '../src/models/label-noise.js';
import { scoreClassifier } from '../src/models/metrics.js';
import { resolveModelSpec } from '../src/models/spec.js';
import { fromSplit } from '../src/models/training-data.js';
import { readInputJson, singleInput, type JsonObject, type StageDefinition } from '../src/stage-api.js';

interface TrainBaseParams extends JsonObject {
  model: JsonObject;
  labelNoise: number;
  seed: number;
}

const trainBase: StageDefinition<TrainBaseParams> = {
  kind: 'train-base',
  description: 'Trains the base model (mlp, xgboost or tree) and records its test accuracy A_f and macro F1',
  params: {
    model: {
      type: 'object',
      description: 'Model spec: { family: mlp | xgboost | tree, ...hyperparameters }. Omitted hyperparameters take their defaults',
      default: '${models[model]}',
    },
    labelNoise: {
      type: 'number',
      description: 'Fraction of training labels replaced by a different class, chosen at random with the seed',
      default: '${labelNoise ?? 0}',
      minimum: 0,
      maximum: 1,
    },
    seed: { type: 'integer', description: 'Seed for label noise, initialisation and shuffling', default: '${seed ?? 0}' },
  },
  inputs: {
    data: { description: 'Ingest instance: dataset.json with standardized train and test rows' },
  },
  libraries: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'ml-xgboost', 'ml-cart'],
  cpu: true,
  validate(params) {
    checkParam('model', params.model, () => resolveModelSpec(params.model, 'params.model'));
  },
  async run(params, inputs, ctx) {
    const spec = resolveModelSpec(params.model, 'params.model');
    const dataset = await readInputJson<DatasetFile>(singleInput(inputs, 'data'), 'dataset.json');
    const d = dataset.features.length;
    const numClasses = dataset.classes.length;
    const train = fromSplit(dataset.train, d);
    const noisy = applyLabelNoise(train.y, numClasses, params.labelNoise, ctx.rng('label-noise'));
    if (noisy.flipped.length > 0) ctx.log(`label noise: replaced ${noisy.flipped.length} of ${train.n} training labels`);

    // Lazy: the engine imports every stage module, and the model libraries are slow to load.
    const { trainClassifier } = await import('../src/models/index.js');
    const started = performance.now();
    const classifier = await trainClassifier(spec, { ...train, y: noisy.y }, numClasses, ctx.rng('model'), { log: ctx.log, signal: ctx.signal });
    const trainMs = performance.now() - started;
    const scores = scoreClassifier(classifier, Float32Array.from(dataset.test.x), dataset.test.y);
    await classifier.save(ctx.outDir);
    classifier.dispose();

    const metrics: ModelMetrics = {
      family: spec.family,
      accuracy: scores.accuracy,
      macroF1: scores.macroF1,
      confusion: scores.confusion,
      labelNoise: params.labelNoise,
    };
    await writeFile(join(ctx.outDir, 'metrics.json'), `${JSON.stringify(metrics)}\n`);
    ctx.log(`${spec.family}: test accuracy ${scores.accuracy.toFixed(4)}, macro F1 ${scores.macroF1.toFixed(4)}, trained in ${Math.round(trainMs)} ms`);
    return { metrics: { accuracy: scores.accuracy, macroF1: scores.macroF1, trainMs: Math.round(trainMs) } };
  },
};

export default trainBase;
