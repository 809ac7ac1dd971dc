/** Stratified train/test split. */
import { InputError } from '../errors.js';
import type { Rng } from '../random.js';

export interface SplitIndices {
  /** Row indices of the training split, ascending (file order). */
  train: number[];
  /** Row indices of the test split, ascending (file order). */
  test: number[];
}

/**
 * Splits rows so that each class keeps its share: round(n_c * testFraction) rows of class c go to
 * the test split, chosen by a seeded shuffle. Raises InputError when a class would keep fewer than
 * two training rows, because a class-conditional sampler and most models need at least two. `file`
 * names the data in that error.
 */
export function stratifiedSplit(labels: number[], classes: string[], testFraction: number, rng: Rng, file: string): SplitIndices {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new InputError(`testFraction must be between 0 and 1 (exclusive), got ${testFraction}`, {
      value: String(testFraction),
      hint: 'use a value such as 0.3',
    });
  }
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((label, c) => {
    const members = labels.flatMap((y, i) => (y === c ? [i] : []));
    const nTest = Math.round(members.length * testFraction);
    if (members.length - nTest < 2) {
      const rows = members.length === 1 ? 'row' : 'rows';
      throw new InputError(`${file}: Class "${label}" has ${members.length} ${rows}, which leaves ${members.length - nTest} for training (at least 2 needed)`, {
        location: { file },
        value: label,
        hint: 'merge rare classes with target.classes, lower testFraction, or add rows',
      });
    }
    rng.shuffle(members);
    test.push(...members.slice(0, nTest));
    train.push(...members.slice(nTest));
  });
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return { train, test };
}
