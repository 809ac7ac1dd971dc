/**
 * Forward pass of a trained dense network without TensorFlow.js. Calling TensorFlow.js once per
 * sampler step costs milliseconds in tensor set-up alone, so after training the weights are copied
 * here and evaluated by a WebAssembly SIMD kernel, or by loops over typed arrays where WebAssembly
 * SIMD is missing.
 */
import { SimdDenseNetwork } from './dense-simd.js';

/** One dense layer: `kernel` is inputSize * units, row-major (as TensorFlow.js stores it). */
export interface DenseLayer {
  inputSize: number;
  units: number;
  activation: 'relu' | 'softmax';
  kernel: Float32Array;
  bias: Float32Array;
}

/**
 * Evaluates ReLU hidden layers and a softmax output, reusing its buffers across calls. The SIMD
 * kernel sums in float32 and the fallback loops in float64, so the two paths can differ in the
 * last bits of a probability.
 */
export class DenseNetwork {
  readonly layers: DenseLayer[];
  readonly numFeatures: number;
  readonly numClasses: number;
  private readonly simd: SimdDenseNetwork | undefined;
  /** Weights widened to doubles once, so the fallback loops read one array type. */
  private readonly kernels: Float64Array[];
  private readonly biases: Float64Array[];
  /** Activations of each layer for one row, allocated once. */
  private readonly activations: Float64Array[];

  constructor(layers: DenseLayer[]) {
    if (layers.length === 0) throw new Error('Internal error: a dense network needs at least one layer');
    for (let l = 1; l < layers.length; l++) {
      if (layers[l].inputSize !== layers[l - 1].units) {
        throw new Error(`Internal error: layer ${l} expects ${layers[l].inputSize} inputs, previous layer has ${layers[l - 1].units} units`);
      }
    }
    this.layers = layers;
    this.simd = SimdDenseNetwork.create(layers);
    this.numFeatures = layers[0].inputSize;
    this.numClasses = layers[layers.length - 1].units;
    this.kernels = layers.map((layer) => Float64Array.from(layer.kernel));
    this.biases = layers.map((layer) => Float64Array.from(layer.bias));
    this.activations = layers.map((layer) => new Float64Array(layer.units));
  }

  /** Path that `forward` takes: the WebAssembly SIMD kernel, or scalar loops where SIMD is missing. */
  get kernel(): 'simd' | 'scalar' {
    return this.simd === undefined ? 'scalar' : 'simd';
  }

  /** Writes the class probabilities of n rows into `out` (n * numClasses values). */
  forward(rows: Float32Array, n: number, out: Float32Array): void {
    if (this.simd !== undefined) this.simd.forward(rows, n, out);
    else this.forwardScalar(rows, n, out);
  }

  /** Runs the forward pass in scalar float64 loops, one row at a time. */
  forwardScalar(rows: Float32Array, n: number, out: Float32Array): void {
    const d = this.numFeatures;
    const last = this.layers.length - 1;
    const { kernels, biases, activations } = this;
    for (let i = 0; i < n; i++) {
      firstLayer(rows, i * d, d, kernels[0], biases[0], activations[0]);
      for (let l = 1; l <= last; l++) {
        // Every layer but the output goes through ReLU before feeding the next.
        relu(activations[l - 1]);
        hiddenLayer(activations[l - 1], kernels[l], biases[l], activations[l]);
      }
      softmaxInto(activations[last], out, i * this.numClasses);
    }
  }
}

/*
 * output = bias + input . kernel, computed as one axpy per input so the kernel is read row by row
 * and the output stays in cache. The first layer reads float32 rows and the others float64
 * activations, so separate functions keep each loop monomorphic for the JIT.
 */
function firstLayer(rows: Float32Array, offset: number, inputSize: number, kernel: Float64Array, bias: Float64Array, output: Float64Array): void {
  const units = output.length;
  for (let j = 0; j < units; j++) output[j] = bias[j];
  for (let p = 0; p < inputSize; p++) {
    const value = rows[offset + p];
    const rowStart = p * units;
    for (let j = 0; j < units; j++) output[j] += value * kernel[rowStart + j];
  }
}

function hiddenLayer(input: Float64Array, kernel: Float64Array, bias: Float64Array, output: Float64Array): void {
  const units = output.length;
  for (let j = 0; j < units; j++) output[j] = bias[j];
  for (let p = 0; p < input.length; p++) {
    const value = input[p];
    // After ReLU many inputs are exactly 0 and contribute nothing.
    if (value === 0) continue;
    const rowStart = p * units;
    for (let j = 0; j < units; j++) output[j] += value * kernel[rowStart + j];
  }
}

function relu(values: Float64Array): void {
  for (let j = 0; j < values.length; j++) if (values[j] < 0) values[j] = 0;
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
