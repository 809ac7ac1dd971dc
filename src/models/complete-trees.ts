/**
 * Shallow trees padded to complete binary trees of one depth, so that a row descends through a
 * fixed number of levels with index arithmetic (child = 2 * node + 1 + goesRight). The comparison
 * is used as a number (`+(value >= threshold)`): a conditional expression measured a third slower,
 * consistent with a branch that mispredicts on random split directions. On 200 boosted trees of
 * depth 4 (13 features), CPU time per row was 6.0 µs for the branchy walk, 3.9 µs branchless,
 * and 1.6 µs with eight trees walked together (addCompleteTreeMargins), in one measurement on a
 * shared 2-core Xeon.
 */
import type { FlatTrees } from './flat-trees.js';

/** Deepest tree padded; deeper ensembles keep the node-list walk, because size grows as 2^depth. */
export const MAX_COMPLETE_DEPTH = 10;

export interface CompleteTrees {
  /** Levels every tree is padded to. */
  depth: number;
  /** Per tree, 2^depth - 1 inner nodes in breadth-first order. */
  feature: Int32Array;
  /**
   * Rows with value >= threshold go right. Thresholds are rounded up to float32, which keeps that
   * test exact for float32 rows and halves the cache the nodes take. Padding nodes use +Infinity,
   * so every finite row goes left.
   */
  threshold: Float32Array;
  /** Per tree, 2^depth leaf values. */
  leafValue: Float64Array;
}

const float32 = new Float32Array(1);
const float32Bits = new Int32Array(float32.buffer);

/** Returns the smallest float32 >= t, so that value >= t exactly when value >= it, for every float32 value. */
export function roundUpToFloat32(t: number): number {
  float32[0] = t;
  if (!(float32[0] < t)) return float32[0];
  // Step one unit in the last place towards +Infinity: up in magnitude when positive, down when negative.
  if (float32[0] === 0) float32Bits[0] = 1;
  else float32Bits[0] += float32[0] > 0 ? 1 : -1;
  return float32[0];
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
    threshold: new Float32Array(count * inner).fill(Infinity),
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
      complete.threshold[tree * inner + position] = roundUpToFloat32(trees.threshold[node]);
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
    position = 2 * position + 1 + +(rows[offset + feature[base + position]] >= threshold[base + position]);
  }
  return complete.leafValue[tree * (inner + 1) + position - inner];
}

/**
 * Adds every tree's leaf value for the row at `offset` to margins[group[t]], in tree order, so the
 * sums equal those of a loop over completeTreeValue. Eight trees descend together: their walks
 * are independent, so the CPU overlaps their memory loads (eight measured about 8% faster than
 * four, and four 2.2 times faster than one, on 200 trees of depth 4).
 */
export function addCompleteTreeMargins(complete: CompleteTrees, group: Int32Array, rows: Float32Array, offset: number, margins: Float64Array): void {
  const { depth, feature, threshold, leafValue } = complete;
  const inner = (1 << depth) - 1;
  const count = group.length;
  let t = 0;
  for (; t + 7 < count; t += 8) {
    const base = t * inner;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let p4 = 0;
    let p5 = 0;
    let p6 = 0;
    let p7 = 0;
    // Tree t + k starts at node base + k * inner; pk is its node index within the tree.
    for (let level = 0; level < depth; level++) {
      p0 = 2 * p0 + 1 + +(rows[offset + feature[base + p0]] >= threshold[base + p0]);
      p1 = 2 * p1 + 1 + +(rows[offset + feature[base + inner + p1]] >= threshold[base + inner + p1]);
      p2 = 2 * p2 + 1 + +(rows[offset + feature[base + 2 * inner + p2]] >= threshold[base + 2 * inner + p2]);
      p3 = 2 * p3 + 1 + +(rows[offset + feature[base + 3 * inner + p3]] >= threshold[base + 3 * inner + p3]);
      p4 = 2 * p4 + 1 + +(rows[offset + feature[base + 4 * inner + p4]] >= threshold[base + 4 * inner + p4]);
      p5 = 2 * p5 + 1 + +(rows[offset + feature[base + 5 * inner + p5]] >= threshold[base + 5 * inner + p5]);
      p6 = 2 * p6 + 1 + +(rows[offset + feature[base + 6 * inner + p6]] >= threshold[base + 6 * inner + p6]);
      p7 = 2 * p7 + 1 + +(rows[offset + feature[base + 7 * inner + p7]] >= threshold[base + 7 * inner + p7]);
    }
    // Tree t + k has its leaves from (t + k) * (inner + 1), and node index inner + l is leaf l.
    const leaves = t * (inner + 1) - inner;
    const stride = inner + 1;
    margins[group[t]] += leafValue[leaves + p0];
    margins[group[t + 1]] += leafValue[leaves + stride + p1];
    margins[group[t + 2]] += leafValue[leaves + 2 * stride + p2];
    margins[group[t + 3]] += leafValue[leaves + 3 * stride + p3];
    margins[group[t + 4]] += leafValue[leaves + 4 * stride + p4];
    margins[group[t + 5]] += leafValue[leaves + 5 * stride + p5];
    margins[group[t + 6]] += leafValue[leaves + 6 * stride + p6];
    margins[group[t + 7]] += leafValue[leaves + 7 * stride + p7];
  }
  for (; t < count; t++) margins[group[t]] += completeTreeValue(complete, t, rows, offset);
}
