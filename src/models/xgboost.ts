/**
 * The `xgboost` family: gradient-boosted trees trained by ml-xgboost (`multi:softprob`), evaluated
 * in TypeScript from the trees read out of XGBoost's binary model. ml-xgboost's own predict makes
 * one WebAssembly call per row (about 8 µs), too slow for the sampler.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { XGBoostConstructor } from 'ml-xgboost';
import type { Rng } from '../random.js';
import type { Classifier } from './classifier.js';
import { addCompleteTreeMargins, toCompleteTrees, type CompleteTrees } from './complete-trees.js';
import { checkFlatTrees, findLeaf } from './flat-trees.js';
import { MODEL_FORMAT_VERSION, outputBuffer, writeModelFile, type XgboostModelFile } from './model-file.js';
import type { XgboostSpec } from './spec.js';
import { toRowArrays, type FitResult, type TrainingData, type TrainOptions } from './training-data.js';
import { parseXgboostModel, type XgboostBooster } from './xgboost-binary.js';

const BOOSTER_FILE = 'booster.bin';

let loading: Promise<XGBoostConstructor> | undefined;

/**
 * Loads ml-xgboost once. In Node its Emscripten loader prints "wasm streaming compile failed ...
 * falling back to ArrayBuffer instantiation" because fetch cannot read a file path. The fallback
 * works, so the console and stderr are muted while the module starts.
 */
async function loadXgboost(): Promise<XGBoostConstructor> {
  loading ??= (async () => {
    const { warn, error } = console;
    const write = process.stderr.write;
    console.warn = () => {};
    console.error = () => {};
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      // The package's CommonJS export is a promise, and require returns it unwrapped in Node and in Vite.
      const require = createRequire(import.meta.url);
      return await (require('ml-xgboost') as Promise<XGBoostConstructor>);
    } finally {
      console.warn = warn;
      console.error = error;
      process.stderr.write = write;
    }
  })();
  return loading;
}

/** Boosted trees evaluated from flat arrays, with a softmax over the per-class margins. */
export class XgboostClassifier implements Classifier {
  readonly family = 'xgboost' as const;
  readonly numFeatures: number;
  readonly numClasses: number;
  private readonly margins: Float64Array;
  /** Padded copy of the trees for the fast walk, or undefined when they are too deep to pad. */
  private readonly complete: CompleteTrees | undefined;

  constructor(
    readonly spec: XgboostSpec,
    private readonly booster: XgboostBooster,
    /** The binary model, kept so save() writes exactly what XGBoost produced. */
    private readonly boosterBytes: Uint8Array,
  ) {
    this.numFeatures = booster.numFeatures;
    this.numClasses = booster.numClasses;
    this.margins = new Float64Array(this.numClasses);
    checkFlatTrees(booster.trees, this.numFeatures, BOOSTER_FILE);
    this.complete = toCompleteTrees(booster.trees, booster.leafValue);
  }

  predictProba(rows: Float32Array, n: number, out?: Float32Array): Float32Array {
    const k = this.numClasses;
    const result = outputBuffer(out, n * k);
    const margins = this.margins;
    for (let i = 0; i < n; i++) {
      this.addMargins(rows, i * this.numFeatures, margins);
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (margins[c] > max) max = margins[c];
      let sum = 0;
      for (let c = 0; c < k; c++) {
        margins[c] = Math.exp(margins[c] - max);
        sum += margins[c];
      }
      for (let c = 0; c < k; c++) result[i * k + c] = margins[c] / sum;
    }
    return result;
  }

  /** Sets `margins` to the base score plus every tree's leaf value for the row at `offset`. */
  private addMargins(rows: Float32Array, offset: number, margins: Float64Array): void {
    const { trees, leafValue, group, baseScore } = this.booster;
    const complete = this.complete;
    margins.fill(baseScore);
    if (complete !== undefined) {
      addCompleteTreeMargins(complete, group, rows, offset, margins);
    } else {
      for (let t = 0; t < group.length; t++) margins[group[t]] += leafValue[findLeaf(trees, rows, offset, trees.roots[t])];
    }
  }

  async save(dir: string): Promise<void> {
    await writeFile(join(dir, BOOSTER_FILE), this.boosterBytes);
    const file: XgboostModelFile = {
      formatVersion: MODEL_FORMAT_VERSION,
      family: 'xgboost',
      spec: this.spec,
      numFeatures: this.numFeatures,
      numClasses: this.numClasses,
      boosterFile: BOOSTER_FILE,
    };
    await writeModelFile(dir, file);
  }

  dispose(): void {}
}

/** Rebuilds an XgboostClassifier from model.json and XGBoost's binary model. */
export async function loadXgboostModel(file: XgboostModelFile, resolve: (name: string) => string): Promise<XgboostClassifier> {
  const bytes = new Uint8Array(await readFile(resolve(file.boosterFile)));
  return fromBytes(file.spec as XgboostSpec, bytes, file.numClasses);
}

function fromBytes(spec: XgboostSpec, bytes: Uint8Array, numClasses: number): XgboostClassifier {
  const booster = parseXgboostModel(bytes);
  if (booster.objective !== 'multi:softprob' || booster.numClasses !== numClasses) {
    throw new Error(`Internal error: expected a multi:softprob model with ${numClasses} classes, read ${booster.objective} with ${booster.numClasses}`);
  }
  return new XgboostClassifier(spec, booster, bytes);
}

function boosterOptions(spec: XgboostSpec, numClasses: number, rng: Rng): Record<string, string | number> {
  return {
    booster: 'gbtree',
    objective: 'multi:softprob',
    num_class: numClasses,
    max_depth: spec.maxDepth,
    eta: spec.eta,
    subsample: spec.subsample,
    colsample_bytree: spec.colsampleBytree,
    min_child_weight: spec.minChildWeight,
    lambda: spec.lambda,
    gamma: spec.gamma,
    // XGBoost's row and column sampling draws from this seed. It takes an int, so 31 bits are kept.
    seed: rng.nextUint32() >>> 1,
    silent: 1,
    iterations: spec.rounds,
  };
}

/** Trains boosted trees with ml-xgboost and reads them back into flat arrays. */
export async function fitXgboost(spec: XgboostSpec, data: TrainingData, numClasses: number, rng: Rng, options: TrainOptions = {}): Promise<FitResult<XgboostClassifier>> {
  const XGBoost = await loadXgboost();
  options.signal?.throwIfAborted();
  const model = new XGBoost(boosterOptions(spec, numClasses, rng));
  try {
    model.train(toRowArrays(data.x, data.n, data.d), Array.from(data.y));
  } catch (error) {
    model.free();
    throw error;
  }
  // toJSON returns the bytes as signed 8-bit values.
  const bytes = Uint8Array.from(model.toJSON().model, (value) => value & 0xff);
  return {
    classifier: fromBytes(spec, bytes, numClasses),
    referencePredict(rows, n) {
      return Float32Array.from(model.predict(toRowArrays(rows, n, data.d)).flat());
    },
    disposeReference() {
      model.free();
    },
  };
}
