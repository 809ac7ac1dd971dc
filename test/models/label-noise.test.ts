import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { applyLabelNoise } from '../../src/models/label-noise.js';
import { Rng } from '../../src/random.js';

const labels = Int32Array.from({ length: 101 }, (_, i) => i % 3);

describe('applyLabelNoise', () => {
  test('flips exactly round(f * n) labels', () => {
    for (const fraction of [0, 0.1, 0.25, 0.4, 0.995, 1]) {
      const result = applyLabelNoise(labels, 3, fraction, Rng.from('noise', fraction));
      const changed = labels.filter((label, i) => result.y[i] !== label).length;
      expect(result.flipped.length).toBe(Math.round(fraction * labels.length));
      expect(changed).toBe(Math.round(fraction * labels.length));
    }
  });

  test('each flip picks another class', () => {
    const result = applyLabelNoise(labels, 3, 0.5, Rng.from('noise'));
    expect(new Set(result.flipped).size).toBe(result.flipped.length);
    for (const row of result.flipped) {
      expect(result.y[row]).not.toBe(labels[row]);
      expect(result.y[row]).toBeGreaterThanOrEqual(0);
      expect(result.y[row]).toBeLessThan(3);
    }
  });

  test('other classes equally likely', () => {
    // 3,000 flips of class 0 into classes 1 and 2: each count is Binomial(3000, 0.5), sd about 27.
    const zeros = new Int32Array(3000);
    const result = applyLabelNoise(zeros, 3, 1, Rng.from('uniform-check'));
    const ones = result.y.filter((label) => label === 1).length;
    const twos = result.y.filter((label) => label === 2).length;
    expect(ones + twos).toBe(3000);
    expect(Math.abs(ones - 1500)).toBeLessThan(4 * 27.4);
  });

  test('leaves input untouched', () => {
    const copy = Int32Array.from(labels);
    applyLabelNoise(labels, 3, 0.4, Rng.from('noise'));
    expect(labels).toEqual(copy);
  });

  test('same seed same flips', () => {
    const first = applyLabelNoise(labels, 3, 0.3, Rng.from('noise', 7));
    const second = applyLabelNoise(labels, 3, 0.3, Rng.from('noise', 7));
    expect(second.y).toEqual(first.y);
    expect(second.flipped).toEqual(first.flipped);
  });

  test('rejects fractions outside [0, 1]', () => {
    for (const fraction of [-0.1, 1.2, Number.NaN]) {
      expect(() => applyLabelNoise(labels, 3, fraction, Rng.from('noise'))).toThrow(InputError);
    }
    expect(() => applyLabelNoise(labels, 3, 2, Rng.from('noise'))).toThrow('Invalid labelNoise 2: expected a fraction in [0, 1]');
  });
});
