import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { hyperparameterNames, resolveModelSpec } from '../../src/models/spec.js';

function inputError(value: unknown): InputError {
  try {
    resolveModelSpec(value, 'params.model');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('resolveModelSpec', () => {
  test('fills family defaults', () => {
    expect(resolveModelSpec({ family: 'mlp' })).toEqual({ family: 'mlp', hidden: [64, 32], epochs: 100, batchSize: 32, learningRate: 1e-3 });
    expect(resolveModelSpec({ family: 'xgboost' })).toMatchObject({ family: 'xgboost', rounds: 100, maxDepth: 4, eta: 0.3, subsample: 1 });
    expect(resolveModelSpec({ family: 'tree' })).toEqual({ family: 'tree', maxDepth: 5, minNumSamples: 3, gainThreshold: 0.01 });
  });

  test('keeps given values', () => {
    expect(resolveModelSpec({ family: 'mlp', hidden: [8], epochs: 5 })).toMatchObject({ hidden: [8], epochs: 5, batchSize: 32 });
    expect(resolveModelSpec({ family: 'tree', minNumSamples: 0 })).toMatchObject({ minNumSamples: 0 });
  });

  test('rejects unknown family', () => {
    const error = inputError({ family: 'svm' });
    expect(error.message).toBe('Unknown model family "svm" in params.model.family');
    expect(error.hint).toBe('use one of: mlp, xgboost, tree');
  });

  test('rejects missing family', () => {
    expect(inputError({ maxDepth: 3 }).message).toBe('Unknown model family undefined in params.model.family');
  });

  test('rejects unknown hyperparameter', () => {
    const error = inputError({ family: 'xgboost', max_depth: 3 });
    expect(error.message).toBe('Unknown hyperparameter "max_depth" in params.model for family xgboost');
    expect(error.hint).toBe(`valid hyperparameters for xgboost: ${hyperparameterNames('xgboost').join(', ')}`);
    expect(error.hint).toContain('maxDepth');
  });

  test('rejects wrong types', () => {
    const cases: [unknown, string][] = [
      [{ family: 'mlp', epochs: '100' }, 'Invalid params.model.epochs: expected a positive integer, found "100"'],
      [{ family: 'mlp', epochs: 2.5 }, 'Invalid params.model.epochs: expected a positive integer, found 2.5'],
      [{ family: 'mlp', hidden: [64, 0] }, 'Invalid params.model.hidden: expected a list of positive integers, for example [64, 32], found [64,0]'],
      [{ family: 'mlp', learningRate: 0 }, 'Invalid params.model.learningRate: expected a number > 0, found 0'],
      [{ family: 'xgboost', subsample: 1.5 }, 'Invalid params.model.subsample: expected a number in (0, 1], found 1.5'],
      [{ family: 'tree', gainThreshold: -1 }, 'Invalid params.model.gainThreshold: expected a number >= 0, found -1'],
    ];
    for (const [value, message] of cases) expect(inputError(value).message).toBe(message);
  });

  test('rejects non-objects', () => {
    expect(inputError('mlp').message).toBe('Invalid params.model: expected an object such as { family: mlp }, found "mlp"');
    expect(inputError(null).message).toContain('found null');
    expect(inputError([{ family: 'mlp' }]).message).toContain('expected an object');
  });

  test('does not share default arrays', () => {
    const first = resolveModelSpec({ family: 'mlp' });
    if (first.family !== 'mlp') throw new Error('expected an mlp spec');
    first.hidden.push(3);
    expect(resolveModelSpec({ family: 'mlp' })).toMatchObject({ hidden: [64, 32] });
  });
});
