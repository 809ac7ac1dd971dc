/**
 * Shallow trees padded to complete binary trees of one depth, so that a row descends through a
 * fixed number of levels with index arithmetic (child = 2 * node + 1 + goesRight). The fixed trip
 * count and the comparison used as a number avoid most mispredicted branches of a pointer walk.
 * On Heart-sized boosted trees (200 trees of depth 4) this cut CPU time per row by about 30%, in
 * one measurement on a shared 2-core machine.
 */
import type { FlatTrees } from './flat-trees.js';

/** Deepest tree padded; deeper ensembles keep the node-list walk, because size grows as 2^depth. */
export const MAX_COMPLETE_DEPTH = 10;

export interface CompleteTrees {
  /** Levels every tree is padded to. */
  depth: number;
  /** Per tree, 2^depth - 1 inner nodes in breadth-first order. */
  feature: Int32Array;
  /** Rows with value >= threshold go right. Padding nodes use +Infinity, so every row goes left. */
  threshold: Float64Array;
  /** Per tree, 2^depth leaf values. */
  leafValue: Float64Array;
}

function treeDepth(trees: FlatTrees, node: number): number {
  if (trees.left[node] === -1) return 0;
  return 1 + Math.max(treeDepth(trees, trees.left[node]), treeDepth(trees, trees.right[node]));
}

/**
 * Pads every tree to the depth of the deepest one, or returns undefined when that exceeds
 * MAX_COMPLETE_DEPTH. A leaf above the last level becomes padding nodes whose leaves all carry its
 * value. NOTE: a NaN feature value goes left here, not in XGBoost's default direction.
 */
export function toCompleteTrees(trees: FlatTrees, leafValue: ArrayLike<number>): CompleteTrees | undefined {
  const depth = Math.max(0, ...Array.from(trees.roots, (root) => treeDepth(trees, root)));
  if (depth > MAX_COMPLETE_DEPTH) return undefined;
  const inner = (1 << depth) - 1;
  const leaves = 1 << depth;
  const count = trees.roots.length;
  const complete: CompleteTrees = {
    depth,
    feature: new Int32Array(count * inner),
    threshold: new Float64Array(count * inner).fill(Infinity),
    leafValue: new Float64Array(count * leaves),
  };
  const place = (tree: number, node: number, position: number, level: number): void => {
    if (level === depth) {
      complete.leafValue[tree * leaves + position - inner] = leafValue[node];
      return;
    }
    const isLeaf = trees.left[node] === -1;
    if (!isLeaf) {
      complete.feature[tree * inner + position] = trees.feature[node];
      complete.threshold[tree * inner + position] = trees.threshold[node];
    }
    place(tree, isLeaf ? node : trees.left[node], 2 * position + 1, level + 1);
    place(tree, isLeaf ? node : trees.right[node], 2 * position + 2, level + 1);
  };
  trees.roots.forEach((root, tree) => place(tree, root, 0, 0));
  return complete;
}

/** Returns the leaf value tree `tree` gives the row starting at `offset`. */
export function completeTreeValue(complete: CompleteTrees, tree: number, rows: Float32Array, offset: number): number {
  const { depth, feature, threshold } = complete;
  const inner = (1 << depth) - 1;
  const base = tree * inner;
  let position = 0;
  for (let level = 0; level < depth; level++) {
    const goesRight = rows[offset + feature[base + position]] >= threshold[base + position] ? 1 : 0;
    position = 2 * position + 1 + goesRight;
  }
  return complete.leafValue[tree * (inner + 1) + position - inner];
}
