/**
 * The `tree` family: an ml-cart CART classifier. Class probabilities are the class frequencies of
 * the training rows in the leaf a row falls into, read from flat arrays instead of ml-cart's
 * recursive node objects.
 */
import type { CartNode } from 'ml-cart';
import type { Classifier } from './classifier.js';
import { checkFlatTrees, findLeaf, type FlatTrees } from './flat-trees.js';
import { MODEL_FORMAT_VERSION, outputBuffer, writeModelFile, type TreeModelFile } from './model-file.js';
import type { TreeSpec } from './spec.js';
import { toRowArrays, type FitResult, type TrainingData, type TrainOptions } from './training-data.js';

/** A flattened CART tree whose leafProba contains numClasses class frequencies per node. */
export class TreeClassifier implements Classifier {
  readonly family = 'tree' as const;

  constructor(
    readonly spec: TreeSpec,
    readonly numFeatures: number,
    readonly numClasses: number,
    private readonly tree: FlatTrees,
    private readonly leafProba: Float64Array,
  ) {
    checkFlatTrees(tree, numFeatures, 'model.json');
  }

  predictProba(rows: Float32Array, n: number, out?: Float32Array): Float32Array {
    const k = this.numClasses;
    const d = this.numFeatures;
    const result = outputBuffer(out, n * k);
    const root = this.tree.roots[0];
    for (let i = 0; i < n; i++) {
      const leafStart = findLeaf(this.tree, rows, i * d, root) * k;
      for (let c = 0; c < k; c++) result[i * k + c] = this.leafProba[leafStart + c];
    }
    return result;
  }

  async save(dir: string): Promise<void> {
    const file: TreeModelFile = {
      formatVersion: MODEL_FORMAT_VERSION,
      family: 'tree',
      spec: this.spec,
      numFeatures: this.numFeatures,
      numClasses: this.numClasses,
      feature: Array.from(this.tree.feature),
      threshold: Array.from(this.tree.threshold),
      left: Array.from(this.tree.left),
      right: Array.from(this.tree.right),
      leafProba: Array.from(this.leafProba),
    };
    await writeModelFile(dir, file);
  }

  dispose(): void {}
}

/** Rebuilds a TreeClassifier from model.json. */
export function loadTree(file: TreeModelFile): TreeClassifier {
  const tree: FlatTrees = {
    feature: Int32Array.from(file.feature),
    threshold: Float64Array.from(file.threshold),
    left: Int32Array.from(file.left),
    right: Int32Array.from(file.right),
    defaultLeft: new Uint8Array(file.left.length),
    roots: Int32Array.of(0),
  };
  return new TreeClassifier(file.spec as TreeSpec, file.numFeatures, file.numClasses, tree, Float64Array.from(file.leafProba));
}

/**
 * Returns a leaf's class frequencies padded to numClasses and renormalised: ml-cart sizes each
 * leaf's distribution by the largest class present there and sums 1/n terms, which can miss 1 by
 * rounding.
 */
function leafFrequencies(node: CartNode, numClasses: number): number[] {
  const raw = node.distribution?.to1DArray() ?? [];
  const padded = Array.from({ length: numClasses }, (_, c) => raw[c] ?? 0);
  const total = padded.reduce((sum, value) => sum + value, 0);
  return padded.map((value) => value / total);
}

/** Numbers the nodes in depth-first order (children after their parent) into flat arrays. */
function flattenCart(root: CartNode, numClasses: number): { tree: FlatTrees; leafProba: Float64Array } {
  const nodes: CartNode[] = [];
  const visit = (node: CartNode) => {
    nodes.push(node);
    if (node.left && node.right) {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(root);
  const index = new Map(nodes.map((node, i) => [node, i]));
  const tree: FlatTrees = {
    feature: new Int32Array(nodes.length),
    threshold: new Float64Array(nodes.length),
    left: new Int32Array(nodes.length).fill(-1),
    right: new Int32Array(nodes.length).fill(-1),
    defaultLeft: new Uint8Array(nodes.length),
    roots: Int32Array.of(0),
  };
  const leafProba = new Float64Array(nodes.length * numClasses);
  nodes.forEach((node, i) => {
    if (node.left && node.right) {
      tree.feature[i] = node.splitColumn as number;
      tree.threshold[i] = node.splitValue as number;
      tree.left[i] = index.get(node.left) as number;
      tree.right[i] = index.get(node.right) as number;
    } else {
      leafProba.set(leafFrequencies(node, numClasses), i * numClasses);
    }
  });
  return { tree, leafProba };
}

/** Trains a CART tree with ml-cart. Training is deterministic, so no random source is needed. */
export async function fitTree(spec: TreeSpec, data: TrainingData, numClasses: number, options: TrainOptions = {}): Promise<FitResult<TreeClassifier>> {
  const { DecisionTreeClassifier } = await import('ml-cart');
  options.signal?.throwIfAborted();
  const cart = new DecisionTreeClassifier({
    gainFunction: 'gini',
    maxDepth: spec.maxDepth,
    minNumSamples: spec.minNumSamples,
    gainThreshold: spec.gainThreshold,
  });
  cart.train(toRowArrays(data.x, data.n, data.d), Array.from(data.y));
  const { tree, leafProba } = flattenCart(cart.root, numClasses);
  return {
    classifier: new TreeClassifier(spec, data.d, numClasses, tree, leafProba),
    referencePredict(rows, n) {
      const out = new Float32Array(n * numClasses);
      toRowArrays(rows, n, data.d).forEach((row, i) => {
        const distribution = cart.root.classify(row).to1DArray();
        distribution.forEach((p, c) => (out[i * numClasses + c] = p));
      });
      return out;
    },
    disposeReference() {},
  };
}
