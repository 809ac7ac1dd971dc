import { describe, expect, test } from 'vitest';
import { completeTreeValue, MAX_COMPLETE_DEPTH, toCompleteTrees } from '../../src/models/complete-trees.js';
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
