/** Shapes shared by the family trainers. */
import { InputError } from '../errors.js';
import type { SplitData } from '../formats.js';
import type { Classifier } from './classifier.js';

/** n labelled rows of d standardized features, row-major. Labels are class indices. */
export interface TrainingData {
  x: Float32Array;
  y: Int32Array;
  n: number;
  d: number;
}

export interface TrainOptions {
  /** Receives progress lines, for example which TensorFlow.js backend runs. */
  log?: (message: string) => void;
  /** Stops training between epochs or rounds when aborted. */
  signal?: AbortSignal;
}

/**
 * A trained classifier together with the training library's own prediction, which tests use to
 * check the fast path. Call disposeReference once the reference is no longer needed.
 */
export interface FitResult<C extends Classifier = Classifier> {
  classifier: C;
  /** The library's predicted class probabilities for n rows, n * numClasses values. */
  referencePredict(rows: Float32Array, n: number): Float32Array;
  disposeReference(): void;
}

/** Checks shapes, labels and feature values before training starts. */
export function checkTrainingData(data: TrainingData, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new InputError(`Cannot train a classifier with ${numClasses} classes: at least two are needed`, {
      value: String(numClasses),
      hint: 'check the target column and its class mapping',
    });
  }
  if (data.n < 1 || data.d < 1) {
    throw new InputError(`Cannot train a classifier on ${data.n} rows of ${data.d} features`, {
      hint: 'the training set needs at least one row and one feature',
    });
  }
  if (data.x.length !== data.n * data.d || data.y.length !== data.n) {
    throw new Error(`Internal error: training data has ${data.x.length} values and ${data.y.length} labels for ${data.n} rows of ${data.d} features`);
  }
  for (let i = 0; i < data.n; i++) {
    const label = data.y[i];
    if (!(label >= 0 && label < numClasses)) {
      throw new InputError(`Invalid class index ${label} at training row ${i}: expected 0 to ${numClasses - 1}`, {
        value: String(label),
        hint: 'class indices must point into the dataset\'s class list',
      });
    }
  }
  for (let i = 0; i < data.x.length; i++) {
    if (!Number.isFinite(data.x[i])) {
      throw new InputError(`Invalid feature value ${data.x[i]} at training row ${Math.floor(i / data.d)}, column ${i % data.d}`, {
        value: String(data.x[i]),
        hint: 'drop or impute incomplete rows before training',
      });
    }
  }
}

/** Converts n row-major rows into the array-of-arrays form the tree libraries take. */
export function toRowArrays(x: Float32Array, n: number, d: number): number[][] {
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(x.subarray(i * d, (i + 1) * d));
  return rows;
}

/** Converts a dataset split (plain JSON arrays) into training data with d features per row. */
export function fromSplit(split: SplitData, d: number): TrainingData {
  return { x: Float32Array.from(split.x), y: Int32Array.from(split.y), n: split.n, d };
}
