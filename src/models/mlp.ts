/**
 * The `mlp` family: a TensorFlow.js sequential dense network trained with Adam on cross-entropy,
 * then evaluated by DenseNetwork in plain TypeScript.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rng } from '../random.js';
import type { Classifier } from './classifier.js';
import { DenseNetwork, type DenseLayer } from './dense-network.js';
import { MODEL_FORMAT_VERSION, outputBuffer, writeModelFile, type MlpModelFile } from './model-file.js';
import type { MlpSpec } from './spec.js';
import { tensorFlow, type TensorFlow } from './tf-backend.js';
import type { FitResult, TrainingData, TrainOptions } from './training-data.js';

const WEIGHTS_FILE = 'weights.bin';

/** A trained dense network whose predictions run without TensorFlow.js. */
export class MlpClassifier implements Classifier {
  readonly family = 'mlp' as const;
  readonly numFeatures: number;
  readonly numClasses: number;
  private readonly network: DenseNetwork;

  constructor(
    readonly spec: MlpSpec,
    layers: DenseLayer[],
  ) {
    this.network = new DenseNetwork(layers);
    this.numFeatures = this.network.numFeatures;
    this.numClasses = this.network.numClasses;
  }

  predictProba(rows: Float32Array, n: number, out?: Float32Array): Float32Array {
    const result = outputBuffer(out, n * this.numClasses);
    this.network.forward(rows, n, result);
    return result;
  }

  async save(dir: string): Promise<void> {
    const layers = this.network.layers;
    const total = layers.reduce((sum, layer) => sum + layer.kernel.length + layer.bias.length, 0);
    const weights = new Float32Array(total);
    let offset = 0;
    for (const layer of layers) {
      weights.set(layer.kernel, offset);
      offset += layer.kernel.length;
      weights.set(layer.bias, offset);
      offset += layer.bias.length;
    }
    const bytes = new Uint8Array(weights.buffer);
    // Typed arrays use the platform's byte order, but the file is little-endian everywhere.
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) swapFloat32Bytes(bytes);
    await writeFile(join(dir, WEIGHTS_FILE), bytes);
    const file: MlpModelFile = {
      formatVersion: MODEL_FORMAT_VERSION,
      family: 'mlp',
      spec: this.spec,
      numFeatures: this.numFeatures,
      numClasses: this.numClasses,
      layers: layers.map(({ inputSize, units, activation }) => ({ inputSize, units, activation })),
      weightsFile: WEIGHTS_FILE,
    };
    await writeModelFile(dir, file);
  }

  dispose(): void {}
}

function swapFloat32Bytes(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 4) {
    [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]] = [bytes[i + 3], bytes[i + 2], bytes[i + 1], bytes[i]];
  }
}

/** Rebuilds an MlpClassifier from model.json and its weights file. */
export async function loadMlp(file: MlpModelFile, resolve: (name: string) => string): Promise<MlpClassifier> {
  const bytes = new Uint8Array(await readFile(resolve(file.weightsFile)));
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) swapFloat32Bytes(bytes);
  const expected = file.layers.reduce((sum, shape) => sum + (shape.inputSize + 1) * shape.units, 0);
  if (bytes.byteLength !== 4 * expected) {
    throw new Error(`Invalid ${file.weightsFile}: expected ${expected} weights for the layers in model.json, found ${bytes.byteLength / 4}`);
  }
  const weights = new Float32Array(bytes.buffer, bytes.byteOffset, expected);
  let offset = 0;
  const layers: DenseLayer[] = file.layers.map((shape) => {
    const kernel = weights.slice(offset, offset + shape.inputSize * shape.units);
    offset += kernel.length;
    const bias = weights.slice(offset, offset + shape.units);
    offset += bias.length;
    return { ...shape, kernel, bias };
  });
  return new MlpClassifier(file.spec as MlpSpec, layers);
}

function buildModel(tf: TensorFlow, spec: MlpSpec, d: number, numClasses: number, rng: Rng) {
  const model = tf.sequential();
  const sizes = [...spec.hidden, numClasses];
  sizes.forEach((units, index) => {
    model.add(
      tf.layers.dense({
        units,
        inputShape: index === 0 ? [d] : undefined,
        activation: index < sizes.length - 1 ? 'relu' : 'softmax',
        // Seeded Glorot initialisation; a fresh seed per layer keeps layers independent.
        kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextUint32() }),
        biasInitializer: 'zeros',
      }),
    );
  });
  model.compile({ optimizer: tf.train.adam(spec.learningRate), loss: 'categoricalCrossentropy' });
  return model;
}

/** Copies the rows of `order` into new feature and one-hot label arrays. */
function gatherEpoch(data: TrainingData, numClasses: number, order: number[]): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(data.n * data.d);
  const y = new Float32Array(data.n * numClasses);
  order.forEach((row, position) => {
    x.set(data.x.subarray(row * data.d, (row + 1) * data.d), position * data.d);
    y[position * numClasses + data.y[row]] = 1;
  });
  return { x, y };
}

/**
 * Trains the network. TensorFlow.js's own shuffling uses Math.random, so each epoch is fed in an
 * order drawn from `rng` with shuffling off. The same seed therefore gives the same weights.
 */
export async function fitMlp(spec: MlpSpec, data: TrainingData, numClasses: number, rng: Rng, options: TrainOptions = {}): Promise<FitResult<MlpClassifier>> {
  const { tf } = await tensorFlow(options.log);
  const model = buildModel(tf, spec, data.d, numClasses, rng.fork('init'));
  const shuffle = rng.fork('shuffle');
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    options.signal?.throwIfAborted();
    const batch = gatherEpoch(data, numClasses, shuffle.permutation(data.n));
    const xs = tf.tensor2d(batch.x, [data.n, data.d]);
    const ys = tf.tensor2d(batch.y, [data.n, numClasses]);
    await model.fit(xs, ys, { epochs: 1, batchSize: spec.batchSize, shuffle: false, verbose: 0 });
    xs.dispose();
    ys.dispose();
  }
  const weights = model.getWeights().map((tensor) => tensor.dataSync() as Float32Array);
  const sizes = [data.d, ...spec.hidden, numClasses];
  const layers: DenseLayer[] = sizes.slice(1).map((units, l) => ({
    inputSize: sizes[l],
    units,
    activation: l < sizes.length - 2 ? 'relu' : 'softmax',
    kernel: Float32Array.from(weights[2 * l]),
    bias: Float32Array.from(weights[2 * l + 1]),
  }));
  return {
    classifier: new MlpClassifier(spec, layers),
    referencePredict(rows, n) {
      return tf.tidy(() => (model.predict(tf.tensor2d(rows, [n, data.d])) as ReturnType<TensorFlow['tensor2d']>).dataSync() as Float32Array);
    },
    disposeReference() {
      model.optimizer.dispose();
      model.dispose();
    },
  };
}
