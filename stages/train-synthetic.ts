/**
 * Stage `train-synthetic`: trains a model of the base model's family and hyperparameters on the
 * reconstructed rows and their classes, without label noise, and scores it on the real test set.
 * Its accuracy A_s against the base accuracy A_f measures how useful the reconstruction is.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetFile, ModelMetrics, SamplesFile, SyntheticResult } from '../src/formats.js';
import { InputError } from '../src/errors.js';
import { scoreClassifier } from '../src/models/metrics.js';
import { inputPath, readInputJson, singleInput, type JsonObject, type StageDefinition } from '../src/stage-api.js';

interface TrainSyntheticParams extends JsonObject {
  seed: number;
}

const trainSynthetic: StageDefinition<TrainSyntheticParams> = {
  kind: 'train-synthetic',
  description: 'Trains the base model family on reconstructed rows and scores it on the real test set (A_s, A_s / A_f)',
  params: {
    seed: { type: 'integer', description: 'Seed for initialisation and shuffling of the synthetic model', default: '${seed ?? 0}' },
  },
  inputs: {
    samples: { description: 'Sample instance: samples.json with the reconstructed rows and classes' },
    data: { description: 'Ingest instance: dataset.json whose test split scores the synthetic model' },
    model: { description: 'Train-base instance: model.json for the family and hyperparameters, metrics.json for A_f' },
  },
  libraries: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'ml-xgboost', 'ml-cart'],
  cpu: true,
  async run(_params, inputs, ctx) {
    const samplesRef = singleInput(inputs, 'samples');
    const modelRef = singleInput(inputs, 'model');
    const samples = await readInputJson<SamplesFile>(samplesRef, 'samples.json');
    const dataset = await readInputJson<DatasetFile>(singleInput(inputs, 'data'), 'dataset.json');
    const base = await readInputJson<ModelMetrics>(modelRef, 'metrics.json');
    const d = dataset.features.length;
    if (samples.d !== d) {
      throw new InputError(`Reconstructed rows in ${samplesRef.id} have ${samples.d} features, the dataset has ${d}`, {
        location: { file: inputPath(samplesRef, 'samples.json') },
        hint: 'wire train-synthetic to the sample and ingest instances of the same dataset',
      });
    }

    // Lazy: the engine imports every stage module, and the model libraries are slow to load.
    const { readModelSpec, trainClassifier } = await import('../src/models/index.js');
    const spec = await readModelSpec((name) => inputPath(modelRef, name));
    const train = { x: Float32Array.from(samples.x), y: Int32Array.from(samples.y), n: samples.n, d };
    const started = performance.now();
    const classifier = await trainClassifier(spec, train, dataset.classes.length, ctx.rng('model'), { log: ctx.log, signal: ctx.signal });
    const trainMs = performance.now() - started;
    const scores = scoreClassifier(classifier, Float32Array.from(dataset.test.x), dataset.test.y);
    classifier.dispose();

    const result: SyntheticResult = {
      family: spec.family,
      accuracy: scores.accuracy,
      macroF1: scores.macroF1,
      confusion: scores.confusion,
      labelNoise: 0,
      baseAccuracy: base.accuracy,
      // NOTE: a base accuracy of 0 makes the ratio infinite, which JSON writes as null.
      accuracyRatio: scores.accuracy / base.accuracy,
    };
    await writeFile(join(ctx.outDir, 'synthetic.json'), `${JSON.stringify(result)}\n`);
    ctx.log(`${spec.family} on ${samples.n} reconstructed rows: test accuracy ${scores.accuracy.toFixed(4)} (base ${base.accuracy.toFixed(4)}, ratio ${result.accuracyRatio.toFixed(3)})`);
    return { metrics: { accuracy: scores.accuracy, macroF1: scores.macroF1, accuracyRatio: result.accuracyRatio, trainMs: Math.round(trainMs) } };
  },
};

export default trainSynthetic;
