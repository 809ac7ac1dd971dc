/**
 * Decision trees flattened into typed arrays, one entry per node, so that evaluating a row is a
 * loop over array indices with no objects or allocation.
 */

/** Nodes of one or more trees. Node i is a leaf when left[i] is -1. */
export interface FlatTrees {
  /** Feature index tested at each inner node. */
  feature: Int32Array;
  /** Rows with value < threshold go left, others right. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Direction for a missing (NaN) value: 1 left, 0 right. */
  defaultLeft: Uint8Array;
  /** Root node of each tree. */
  roots: Int32Array;
}

/** Follows one row from `root` to its leaf and returns the leaf's node index. */
export function findLeaf(trees: FlatTrees, rows: Float32Array, offset: number, root: number): number {
  const { feature, threshold, left, right, defaultLeft } = trees;
  let node = root;
  while (left[node] >= 0) {
    const value = rows[offset + feature[node]];
    if (value < threshold[node]) node = left[node];
    else if (value >= threshold[node]) node = right[node];
    else node = defaultLeft[node] === 1 ? left[node] : right[node];
  }
  return node;
}

/**
 * Checks that every node reachable from a root has in-range children and feature, and that no node
 * is reached twice, so findLeaf always terminates.
 */
export function checkFlatTrees(trees: FlatTrees, numFeatures: number, source: string): void {
  const count = trees.left.length;
  const seen = new Uint8Array(count);
  const fail = (what: string) => {
    throw new Error(`Invalid tree model in ${source}: ${what}`);
  };
  for (const root of trees.roots) {
    const pending = [root];
    while (pending.length > 0) {
      const node = pending.pop() as number;
      if (!(node >= 0 && node < count)) fail(`node index ${node} is outside ${count} nodes`);
      if (seen[node] === 1) fail(`node ${node} is reached twice`);
      seen[node] = 1;
      if (trees.left[node] === -1) continue;
      if (trees.feature[node] < 0 || trees.feature[node] >= numFeatures) fail(`node ${node} splits on feature ${trees.feature[node]} of ${numFeatures}`);
      pending.push(trees.left[node], trees.right[node]);
    }
  }
}
