/** Classification metrics on a labelled test set. */

export interface ClassificationScores {
  /** Fraction of rows whose predicted class equals the true class. */
  accuracy: number;
  /**
   * Unweighted mean of per-class F1 over the classes present in the truth or the predictions, as
   * scikit-learn's `f1_score(average='macro')` computes it. A class with no true positives scores 0.
   */
  macroF1: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/** Returns the index of the largest probability in each row of an n * numClasses matrix. */
export function argmaxRows(proba: Float32Array, n: number, numClasses: number): Int32Array {
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const offset = i * numClasses;
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (proba[offset + c] > proba[offset + best]) best = c;
    predicted[i] = best;
  }
  return predicted;
}

/** Builds the confusion matrix and derives accuracy and macro F1 from it. */
export function scoreClassification(truth: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): ClassificationScores {
  if (truth.length !== predicted.length) {
    throw new Error(`Internal error: ${truth.length} true labels but ${predicted.length} predictions`);
  }
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]] += 1;
    if (truth[i] === predicted[i]) correct += 1;
  }
  let f1Sum = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    const truePositives = confusion[c][c];
    let actual = 0;
    let predictedCount = 0;
    for (let k = 0; k < numClasses; k++) {
      actual += confusion[c][k];
      predictedCount += confusion[k][c];
    }
    if (actual === 0 && predictedCount === 0) continue;
    present += 1;
    f1Sum += (2 * truePositives) / (actual + predictedCount);
  }
  return {
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1: present === 0 ? 0 : f1Sum / present,
    confusion,
  };
}

/** Scores a classifier's most probable class on labelled rows (row-major, numFeatures per row). */
export function scoreClassifier(
  classifier: { numClasses: number; predictProba(rows: Float32Array, n: number): Float32Array },
  rows: Float32Array,
  labels: ArrayLike<number>,
): ClassificationScores {
  const n = labels.length;
  const predicted = argmaxRows(classifier.predictProba(rows, n), n, classifier.numClasses);
  return scoreClassification(labels, predicted, classifier.numClasses);
}
