import { describe, expect, test } from 'vitest';
import { DenseNetwork, type DenseLayer } from '../../src/models/dense-network.js';
import { Rng } from '../../src/random.js';

/** Builds layers of the given sizes with seeded random weights and biases. */
function randomLayers(sizes: number[], seed: string): DenseLayer[] {
  const rng = Rng.from(seed);
  return sizes.slice(1).map((units, l) => ({
    inputSize: sizes[l],
    units,
    activation: l < sizes.length - 2 ? 'relu' : 'softmax',
    kernel: Float32Array.from({ length: sizes[l] * units }, () => rng.normal() / Math.sqrt(sizes[l])),
    bias: Float32Array.from({ length: units }, () => 0.1 * rng.normal()),
  }));
}

describe('DenseNetwork', () => {
  test('hand-computed two-layer case', () => {
    // Hidden: relu([x0 - x1, x0 + x1 + 1]); output logits [h0, 2 h1 - 1].
    const network = new DenseNetwork([
      { inputSize: 2, units: 2, activation: 'relu', kernel: Float32Array.from([1, 1, -1, 1]), bias: Float32Array.from([0, 1]) },
      { inputSize: 2, units: 2, activation: 'softmax', kernel: Float32Array.from([1, 0, 0, 2]), bias: Float32Array.from([0, -1]) },
    ]);
    const rows = Float32Array.from([1, 2, 3, -1]);
    const out = new Float32Array(4);
    network.forward(rows, 2, out);
    // Row 0: hidden [relu(-1), 4] = [0, 4]; logits [0, 7].
    // Row 1: hidden [4, 3]; logits [4, 5].
    const softmax = (a: number, b: number) => [1 / (1 + Math.exp(b - a)), 1 / (1 + Math.exp(a - b))];
    const expected = [...softmax(0, 7), ...softmax(4, 5)];
    expected.forEach((value, i) => expect(out[i]).toBeCloseTo(value, 6));
  });

  test('large logits stay finite', () => {
    const network = new DenseNetwork([
      { inputSize: 1, units: 2, activation: 'softmax', kernel: Float32Array.from([1000, -1000]), bias: new Float32Array(2) },
    ]);
    const out = new Float32Array(2);
    network.forward(Float32Array.from([1]), 1, out);
    expect(Array.from(out)).toEqual([1, 0]);
  });

  test('rejects mismatched layers', () => {
    const layer = { inputSize: 3, units: 2, activation: 'relu' as const, kernel: new Float32Array(6), bias: new Float32Array(2) };
    expect(() => new DenseNetwork([layer, layer])).toThrow('layer 1 expects 3 inputs, previous layer has 2 units');
  });

  // Shapes around the kernel's tiles (4 rows, 8 units) and its 64-row chunks.
  test.each([
    [[4, 8, 2], 1],
    [[13, 64, 32, 2], 3],
    [[7, 5, 3], 65],
    [[200, 64, 32, 3], 130],
  ])('SIMD matches float64 loops: %j, %i rows', (sizes, n) => {
    const network = new DenseNetwork(randomLayers(sizes, `simd ${sizes.join('-')}`));
    expect(network.kernel).toBe('simd');
    const rng = Rng.from('rows', n);
    const rows = Float32Array.from({ length: n * sizes[0] }, () => 2 * rng.normal());
    const k = sizes[sizes.length - 1];
    const fast = new Float32Array(n * k).fill(NaN);
    const scalar = new Float32Array(n * k);
    network.forward(rows, n, fast);
    network.forwardScalar(rows, n, scalar);
    // Float32 sums of up to 200 terms of size about 1 differ from float64 sums by well under 1e-5.
    let maxDifference = 0;
    for (let i = 0; i < n * k; i++) maxDifference = Math.max(maxDifference, Math.abs(fast[i] - scalar[i]));
    expect(maxDifference).toBeLessThan(1e-5);
    for (let i = 0; i < n; i++) {
      const sum = fast.subarray(i * k, (i + 1) * k).reduce((total, p) => total + p, 0);
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  test('ReLU keeps negative sums at 0', () => {
    // Hidden unit = relu(-x); output logits [h, 0]: a negative sum must not leak through.
    const network = new DenseNetwork([
      { inputSize: 1, units: 1, activation: 'relu', kernel: Float32Array.from([-1]), bias: new Float32Array(1) },
      { inputSize: 1, units: 2, activation: 'softmax', kernel: Float32Array.from([1, 0]), bias: new Float32Array(2) },
    ]);
    const out = new Float32Array(4);
    network.forward(Float32Array.from([3, -3]), 2, out);
    expect(out[0]).toBeCloseTo(0.5, 7);
    expect(out[2]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });
});
