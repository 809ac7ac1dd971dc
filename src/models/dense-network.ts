/**
 * Forward pass of a trained dense network in plain TypeScript. Calling TensorFlow.js once per
 * sampler step costs milliseconds in tensor set-up alone, so after training the weights are copied
 * here and evaluated with loops over typed arrays.
 */

/** One dense layer: `kernel` is inputSize * units, row-major (as TensorFlow.js stores it). */
export interface DenseLayer {
  inputSize: number;
  units: number;
  activation: 'relu' | 'softmax';
  kernel: Float32Array;
  bias: Float32Array;
}

/** Evaluates ReLU hidden layers and a softmax output, reusing its buffers across calls. */
export class DenseNetwork {
  readonly layers: DenseLayer[];
  readonly numFeatures: number;
  readonly numClasses: number;
  /** Activations of each layer for one row, in doubles; allocated once. */
  private readonly activations: Float64Array[];

  constructor(layers: DenseLayer[]) {
    if (layers.length === 0) throw new Error('Internal error: a dense network needs at least one layer');
    for (let l = 1; l < layers.length; l++) {
      if (layers[l].inputSize !== layers[l - 1].units) {
        throw new Error(`Internal error: layer ${l} expects ${layers[l].inputSize} inputs, previous layer has ${layers[l - 1].units} units`);
      }
    }
    this.layers = layers;
    this.numFeatures = layers[0].inputSize;
    this.numClasses = layers[layers.length - 1].units;
    this.activations = layers.map((layer) => new Float64Array(layer.units));
  }

  /** Writes the class probabilities of n rows into `out` (n * numClasses values). */
  forward(rows: Float32Array, n: number, out: Float32Array): void {
    const d = this.numFeatures;
    const k = this.numClasses;
    const last = this.layers.length - 1;
    for (let i = 0; i < n; i++) {
      let input: Float32Array | Float64Array = rows;
      let inputOffset = i * d;
      for (let l = 0; l <= last; l++) {
        const layer = this.layers[l];
        const output = this.activations[l];
        affine(layer, input, inputOffset, output);
        if (l < last) {
          for (let j = 0; j < output.length; j++) if (output[j] < 0) output[j] = 0;
        }
        input = output;
        inputOffset = 0;
      }
      softmaxInto(this.activations[last], out, i * k);
    }
  }
}

/** output = bias + input . kernel, as one axpy per input so the kernel is read row by row. */
function affine(layer: DenseLayer, input: Float32Array | Float64Array, offset: number, output: Float64Array): void {
  const units = layer.units;
  const kernel = layer.kernel;
  const bias = layer.bias;
  for (let j = 0; j < units; j++) output[j] = bias[j];
  for (let p = 0; p < layer.inputSize; p++) {
    const value = input[offset + p];
    // After ReLU many inputs are exactly 0 and contribute nothing.
    if (value === 0) continue;
    const rowStart = p * units;
    for (let j = 0; j < units; j++) output[j] += value * kernel[rowStart + j];
  }
}

function softmaxInto(logits: Float64Array, out: Float32Array, offset: number): void {
  let max = -Infinity;
  for (let c = 0; c < logits.length; c++) if (logits[c] > max) max = logits[c];
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    const e = Math.exp(logits[c] - max);
    logits[c] = e;
    sum += e;
  }
  for (let c = 0; c < logits.length; c++) out[offset + c] = logits[c] / sum;
}
