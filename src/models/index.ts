/**
 * Entry points for training and loading classifiers of every family. The family modules import
 * their libraries lazily, so importing this module stays cheap.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';
import type { Classifier } from './classifier.js';
import { MODEL_FILE, MODEL_FORMAT_VERSION, type ModelFile } from './model-file.js';
import { resolveModelSpec, type ModelSpec, type ModelSpecInput } from './spec.js';
import { checkTrainingData, type FitResult, type TrainingData, type TrainOptions } from './training-data.js';

export type { Classifier, ModelFamily } from './classifier.js';
export { applyLabelNoise } from './label-noise.js';
export { argmaxRows, scoreClassification, scoreClassifier, type ClassificationScores } from './metrics.js';
export { MODEL_FILE, type ModelFile } from './model-file.js';
export { resolveModelSpec, hyperparameterNames, type ModelSpec, type ModelSpecInput } from './spec.js';
export { fromSplit, type FitResult, type TrainingData, type TrainOptions } from './training-data.js';

/**
 * Trains a classifier and keeps the training library's model for reference predictions (see
 * FitResult). The spec is checked and completed with defaults first.
 */
export async function fitClassifier(
  spec: ModelSpec | ModelSpecInput,
  data: TrainingData,
  numClasses: number,
  rng: Rng,
  options: TrainOptions = {},
): Promise<FitResult> {
  const resolved = resolveModelSpec(spec);
  checkTrainingData(data, numClasses);
  switch (resolved.family) {
    case 'mlp':
      return (await import('./mlp.js')).fitMlp(resolved, data, numClasses, rng, options);
    case 'xgboost':
      return (await import('./xgboost.js')).fitXgboost(resolved, data, numClasses, rng, options);
    case 'tree':
      return (await import('./tree.js')).fitTree(resolved, data, numClasses, options);
  }
}

/**
 * Trains a classifier of `spec.family` on standardized rows with class indices 0..numClasses-1.
 * The same spec, data and rng state give identical predictions and saved bytes.
 */
export async function trainClassifier(
  spec: ModelSpec | ModelSpecInput,
  data: TrainingData,
  numClasses: number,
  rng: Rng,
  options: TrainOptions = {},
): Promise<Classifier> {
  const fit = await fitClassifier(spec, data, numClasses, rng, options);
  fit.disposeReference();
  return fit.classifier;
}

/**
 * Loads a classifier that `Classifier.save` wrote. `resolve` maps an output file name such as
 * `model.json` to a readable path: `(name) => join(dir, name)` for a directory, or
 * `(name) => inputPath(ref, name)` for an upstream stage's files.
 */
export async function loadClassifier(resolve: (file: string) => string): Promise<Classifier> {
  const path = resolve(MODEL_FILE);
  const file = JSON.parse(await readFile(path, 'utf8')) as ModelFile;
  if (file.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new InputError(`Unsupported model file ${path}: format version ${file.formatVersion}, this version reads ${MODEL_FORMAT_VERSION}`, {
      location: { file: path },
      value: String(file.formatVersion),
      hint: 'retrain the model (rerun its train-base instance) with this version',
    });
  }
  switch (file.family) {
    case 'mlp':
      return (await import('./mlp.js')).loadMlp(file, resolve);
    case 'xgboost':
      return (await import('./xgboost.js')).loadXgboostModel(file, resolve);
    case 'tree':
      return (await import('./tree.js')).loadTree(file);
    default:
      throw new InputError(`Unknown model family "${(file as { family: unknown }).family}" in ${path}`, { location: { file: path } });
  }
}

/** Reads the spec a saved model was trained with, without loading its weights. */
export async function readModelSpec(resolve: (file: string) => string): Promise<ModelSpec> {
  const path = resolve(MODEL_FILE);
  const file = JSON.parse(await readFile(path, 'utf8')) as ModelFile;
  return resolveModelSpec(file.spec, path);
}
