/** Type declarations for the untyped tree libraries, limited to what this package calls. */

declare module 'ml-cart' {
  /** A node of a trained tree: inner nodes have both children, leaves a class distribution. */
  export interface CartNode {
    left?: CartNode;
    right?: CartNode;
    splitColumn?: number;
    splitValue?: number;
    /** ml-matrix row vector of class frequencies, indexed up to the leaf's largest class. */
    distribution?: { to1DArray(): number[] };
    classify(row: ArrayLike<number>): { to1DArray(): number[] };
  }

  export class DecisionTreeClassifier {
    constructor(options: { maxDepth?: number; minNumSamples?: number; gainThreshold?: number; gainFunction?: 'gini' });
    root: CartNode;
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
  }
}

declare module 'ml-xgboost' {
  export interface XGBoostModel {
    train(x: number[][], y: number[]): void;
    /** One row per input; with multi:softprob, numClass probabilities per row. */
    predict(x: number[][]): number[][];
    /** `model` is XGBoost's binary model format as an array of signed bytes. */
    toJSON(): { name: string; model: number[]; options: Record<string, string | number> };
    free(): void;
  }

  export type XGBoostConstructor = new (options: Record<string, string | number>) => XGBoostModel;

  /** The package exports a promise that resolves once its WebAssembly module is ready. */
  const ready: Promise<XGBoostConstructor>;
  export default ready;
}
