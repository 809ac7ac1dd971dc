import { describe, expect, test } from 'vitest';
import { addCompleteTreeMargins, completeTreeValue, MAX_COMPLETE_DEPTH, roundUpToFloat32, toCompleteTrees } from '../../src/models/complete-trees.js';
import { findLeaf, type FlatTrees } from '../../src/models/flat-trees.js';
import { Rng } from '../../src/random.js';

/*
 * Two trees over two features. Tree 0 is uneven: x0 < 0 gives leaf 1 (value 10); otherwise
 * x1 < 0.5 gives leaf 3 (value 20), else leaf 4 (value 30). Tree 1 is a single leaf (value -5).
 */
const trees: FlatTrees = {
  feature: Int32Array.from([0, 0, 1, 0, 0, 0]),
  threshold: Float64Array.from([0, 0, 0.5, 0, 0, 0]),
  left: Int32Array.from([1, -1, 3, -1, -1, -1]),
  right: Int32Array.from([2, -1, 4, -1, -1, -1]),
  defaultLeft: new Uint8Array(6),
  roots: Int32Array.from([0, 5]),
};
const leafValue = Float32Array.from([0, 10, 0, 20, 30, -5]);

describe('toCompleteTrees', () => {
  test('pads to the deepest tree', () => {
    const complete = toCompleteTrees(trees, leafValue);
    expect(complete?.depth).toBe(2);
    expect(complete?.leafValue.length).toBe(2 * 4);
  });

  test('hand-computed rows', () => {
    const complete = toCompleteTrees(trees, leafValue);
    if (complete === undefined) throw new Error('expected a complete layout');
    const rows = Float32Array.from([-1, 9, 0, 0.5, 0, 0.25]);
    expect([0, 1, 2].map((i) => completeTreeValue(complete, 0, rows, 2 * i))).toEqual([10, 30, 20]);
    expect([0, 1, 2].map((i) => completeTreeValue(complete, 1, rows, 2 * i))).toEqual([-5, -5, -5]);
  });

  test('agrees with node walk', () => {
    const complete = toCompleteTrees(trees, leafValue);
    if (complete === undefined) throw new Error('expected a complete layout');
    const rng = Rng.from('complete-trees');
    const rows = Float32Array.from({ length: 2 * 500 }, () => Math.round(rng.normal() * 4) / 4);
    for (let i = 0; i < 500; i++) {
      for (let t = 0; t < 2; t++) {
        expect(completeTreeValue(complete, t, rows, 2 * i)).toBe(leafValue[findLeaf(trees, rows, 2 * i, trees.roots[t])]);
      }
    }
  });

  test('declines trees that are too deep', () => {
    // A chain whose every right child splits again, MAX_COMPLETE_DEPTH + 1 levels deep.
    const depth = MAX_COMPLETE_DEPTH + 1;
    const count = 2 * depth + 1;
    const chain: FlatTrees = {
      feature: new Int32Array(count),
      threshold: new Float64Array(count),
      left: new Int32Array(count).fill(-1),
      right: new Int32Array(count).fill(-1),
      defaultLeft: new Uint8Array(count),
      roots: Int32Array.of(0),
    };
    for (let level = 0; level < depth; level++) {
      chain.left[2 * level] = 2 * level + 1;
      chain.right[2 * level] = 2 * level + 2;
    }
    expect(toCompleteTrees(chain, new Float32Array(count))).toBeUndefined();
  });
});

/**
 * Builds `count` random trees over `d` features, up to `maxDepth` levels, with float64 thresholds
 * that float32 cannot represent, each tree's root first.
 */
function randomTrees(count: number, d: number, maxDepth: number, rng: Rng): { trees: FlatTrees; leafValue: Float64Array } {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const grow = (level: number): number => {
    const node = feature.length;
    feature.push(0);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(rng.normal());
    if (level < maxDepth && rng.uniform() < 0.8) {
      feature[node] = rng.int(d);
      threshold[node] = rng.normal() + 1e-9;
      left[node] = grow(level + 1);
      right[node] = grow(level + 1);
    }
    return node;
  };
  const roots = Array.from({ length: count }, () => grow(0));
  const trees: FlatTrees = {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    defaultLeft: new Uint8Array(feature.length),
    roots: Int32Array.from(roots),
  };
  return { trees, leafValue: Float64Array.from(value) };
}

describe('roundUpToFloat32', () => {
  test.each([0.1, -0.1, 1e-50, -1e-50, 1e39, -1e39, 3.5, Infinity, -Infinity])('%s', (t) => {
    const rounded = roundUpToFloat32(t);
    expect(Math.fround(rounded)).toBe(rounded);
    expect(rounded >= t).toBe(true);
  });

  test('next float32 down is below', () => {
    // For t = 0.1 the float32 below the result must be < t, so no float32 value is skipped.
    const rounded = roundUpToFloat32(0.1);
    const below = new Float32Array([rounded]);
    new Int32Array(below.buffer)[0] -= 1;
    expect(below[0] < 0.1).toBe(true);
  });

  test('NaN stays NaN', () => {
    expect(roundUpToFloat32(NaN)).toBeNaN();
  });
});

describe('addCompleteTreeMargins', () => {
  // Tree counts around the eight-tree step, on two classes.
  test.each([1, 7, 8, 9, 16, 21])('%i trees match completeTreeValue', (count) => {
    const rng = Rng.from('margins', count);
    const d = 5;
    const { trees, leafValue } = randomTrees(count, d, 4, rng);
    const complete = toCompleteTrees(trees, leafValue);
    if (complete === undefined) throw new Error('expected a complete layout');
    const group = Int32Array.from({ length: count }, (_, t) => t % 2);
    const rows = Float32Array.from({ length: 200 * d }, () => rng.normal());
    for (let i = 0; i < 200; i++) {
      const margins = Float64Array.of(0.5, 0.5);
      addCompleteTreeMargins(complete, group, rows, i * d, margins);
      const expected = [0.5, 0.5];
      for (let t = 0; t < count; t++) expected[group[t]] += completeTreeValue(complete, t, rows, i * d);
      expect(Array.from(margins)).toEqual(expected);
    }
  });
});

describe('completeTreeValue', () => {
  test('values at thresholds go right', () => {
    // Rows equal to a threshold's float32 neighbours must split as the float64 node walk does.
    const rng = Rng.from('at thresholds');
    const d = 3;
    const { trees, leafValue } = randomTrees(6, d, 3, rng);
    const complete = toCompleteTrees(trees, leafValue);
    if (complete === undefined) throw new Error('expected a complete layout');
    const rows = new Float32Array(trees.threshold.length * 2 * d);
    trees.threshold.forEach((t, node) => {
      rows.fill(Math.fround(t), 2 * node * d, (2 * node + 1) * d);
      rows.fill(roundUpToFloat32(t), (2 * node + 1) * d, (2 * node + 2) * d);
    });
    for (let i = 0; i < rows.length / d; i++) {
      for (let t = 0; t < 6; t++) {
        expect(completeTreeValue(complete, t, rows, i * d)).toBe(leafValue[findLeaf(trees, rows, i * d, trees.roots[t])]);
      }
    }
  });
});
