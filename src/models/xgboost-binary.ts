/**
 * Reader for the binary model format of XGBoost before 1.0, which ml-xgboost 1.1.2 returns from
 * `toJSON().model`. That package exposes no tree dump, so the trees are read from these bytes; the
 * tests check the result against ml-xgboost's own predictions. Layout, all little-endian:
 *
 *   LearnerModelParam  base_score f32, num_feature u32, num_class i32, 2 flags, 29 reserved i32
 *   objective, booster  strings as u64 length + bytes
 *   GBTreeModelParam   num_trees, num_roots, num_feature, pad (i32), pbuffer (i64),
 *                      num_output_group, size_leaf_vector, 32 reserved (i32)
 *   per tree           TreeParam (6 i32 + 31 reserved), nodes (parent, left, right i32,
 *                      split index u32 with default-left in bit 31, leaf value or threshold f32),
 *                      node statistics (16 bytes each, skipped)
 *   tree_info          output group of each tree (i32)
 */
import type { FlatTrees } from './flat-trees.js';

export interface XgboostBooster {
  /** Initial margin added to every class before the trees. */
  baseScore: number;
  numFeatures: number;
  numClasses: number;
  objective: string;
  trees: FlatTrees;
  /** Leaf value of each node (0 for inner nodes), float32 as XGBoost stores it. */
  leafValue: Float32Array;
  /** Class whose margin each tree adds to. */
  group: Int32Array;
}

const LEARNER_PARAM_BYTES = 4 * 34;
const GBTREE_PARAM_BYTES = 4 * 4 + 8 + 4 * 2 + 4 * 32;
const TREE_PARAM_BYTES = 4 * 6 + 4 * 31;
const NODE_BYTES = 20;
const NODE_STAT_BYTES = 16;

class ByteReader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(count: number): void {
    if (this.offset + count > this.bytes.length) {
      throw new Error(`Invalid XGBoost model: needs ${count} bytes at offset ${this.offset}, file has ${this.bytes.length}`);
    }
  }

  int32(at = this.offset): number {
    this.need(at - this.offset + 4);
    return this.view.getInt32(at, true);
  }

  uint32(at: number): number {
    return this.view.getUint32(at, true);
  }

  float32(at: number): number {
    return this.view.getFloat32(at, true);
  }

  string(): string {
    this.need(8);
    const length = Number(this.view.getBigUint64(this.offset, true));
    this.offset += 8;
    this.need(length);
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }
}

/** Parses an ml-xgboost gbtree model into flat trees. */
export function parseXgboostModel(bytes: Uint8Array): XgboostBooster {
  const reader = new ByteReader(bytes);
  if (new TextDecoder().decode(bytes.subarray(0, 4)) === 'binf') reader.offset = 4;
  reader.need(LEARNER_PARAM_BYTES);
  const baseScore = reader.float32(reader.offset);
  const numFeatures = reader.uint32(reader.offset + 4);
  const numClasses = Math.max(1, reader.int32(reader.offset + 8));
  reader.offset += LEARNER_PARAM_BYTES;
  const objective = reader.string();
  const booster = reader.string();
  if (booster !== 'gbtree') throw new Error(`Unsupported XGBoost booster "${booster}": only gbtree models can be read`);

  reader.need(GBTREE_PARAM_BYTES);
  const numTrees = reader.int32(reader.offset);
  const pbuffer = reader.int32(reader.offset + 16) + reader.int32(reader.offset + 20);
  const leafVectorSize = reader.int32(reader.offset + 28);
  if (pbuffer !== 0 || leafVectorSize !== 0) throw new Error('Unsupported XGBoost model: prediction buffer or leaf vectors present');
  reader.offset += GBTREE_PARAM_BYTES;

  const nodeCounts: number[] = [];
  const nodeStarts: number[] = [];
  for (let t = 0; t < numTrees; t++) {
    reader.need(TREE_PARAM_BYTES);
    const numNodes = reader.int32(reader.offset + 4);
    if (reader.int32(reader.offset) !== 1) throw new Error(`Unsupported XGBoost model: tree ${t} has several roots`);
    reader.offset += TREE_PARAM_BYTES;
    reader.need(numNodes * (NODE_BYTES + NODE_STAT_BYTES));
    nodeCounts.push(numNodes);
    nodeStarts.push(reader.offset);
    reader.offset += numNodes * (NODE_BYTES + NODE_STAT_BYTES);
  }
  const group = new Int32Array(numTrees);
  for (let t = 0; t < numTrees; t++) group[t] = reader.int32(reader.offset + 4 * t);
  return { baseScore, numFeatures, numClasses, objective, group, ...readNodes(reader, nodeStarts, nodeCounts) };
}

/** Copies every tree's nodes into one set of arrays, shifting child indices by the tree's start. */
function readNodes(reader: ByteReader, starts: number[], counts: number[]): { trees: FlatTrees; leafValue: Float32Array } {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const trees: FlatTrees = {
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    defaultLeft: new Uint8Array(total),
    roots: new Int32Array(counts.length),
  };
  const leafValue = new Float32Array(total);
  let base = 0;
  counts.forEach((count, t) => {
    trees.roots[t] = base;
    for (let i = 0; i < count; i++) {
      const at = starts[t] + i * NODE_BYTES;
      const node = base + i;
      const left = reader.int32(at + 4);
      const splitIndex = reader.uint32(at + 12);
      const value = reader.float32(at + 16);
      if (left === -1) {
        trees.left[node] = -1;
        trees.right[node] = -1;
        leafValue[node] = value;
        continue;
      }
      trees.left[node] = base + left;
      trees.right[node] = base + reader.int32(at + 8);
      trees.feature[node] = splitIndex & 0x7fffffff;
      trees.defaultLeft[node] = splitIndex >>> 31;
      trees.threshold[node] = value;
    }
    base += count;
  });
  return { trees, leafValue };
}
