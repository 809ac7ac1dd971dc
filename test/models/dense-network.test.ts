import { describe, expect, test } from 'vitest';
import { DenseNetwork } from '../../src/models/dense-network.js';

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
});
