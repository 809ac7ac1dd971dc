/**
 * The interface every model family implements. `predictProba` is the sampler's hot path: it is
 * called once per Metropolis step with every chain's proposal, so implementations must not
 * allocate per row and should reuse `out` when it is given.
 */

export type ModelFamily = 'mlp' | 'xgboost' | 'tree';

/** A trained classifier over d standardized features and K classes. */
export interface Classifier {
  readonly family: ModelFamily;
  readonly numFeatures: number;
  readonly numClasses: number;
  /**
   * Returns class probabilities for n rows: `rows` contains n * numFeatures values row-major, and the
   * result contains n * numClasses values row-major, each row summing to 1. When `out` is given and
   * large enough it is filled and returned, so a caller can reuse one buffer across calls.
   */
  predictProba(rows: Float32Array, n: number, out?: Float32Array): Float32Array;
  /** Writes the model into `dir`, in files that `loadClassifier` reads back. */
  save(dir: string): Promise<void>;
  /** Frees native or WebAssembly memory held by the model. */
  dispose(): void;
}
