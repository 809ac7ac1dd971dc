import { describe, expect, test } from 'vitest';
import { describeReason, diffKeyInputs } from '../../src/explain.js';
import type { KeyInputs } from '../../src/hashing.js';

const before: KeyInputs = { format: 1, kind: 'sample', code: 'c0', params: { steps: 1000, prior: { shift: 0 } }, inputs: { model: 'm0', data: 'd0' }, libraries: { '@tensorflow/tfjs': '4.21.0' } };

describe('explain', () => {
  test('no differences', () => {
    expect(diffKeyInputs(before, before)).toEqual([]);
  });

  test('names each changed field', () => {
    const after: KeyInputs = { ...before, code: 'c1', params: { steps: 2000, prior: { shift: 1 } }, inputs: { model: 'm1', data: 'd0' }, libraries: { '@tensorflow/tfjs': '4.22.0' } };
    expect(diffKeyInputs(before, after).map(describeReason)).toEqual([
      'stage code changed',
      'params.prior.shift 0 -> 1',
      'params.steps 1000 -> 2000',
      'input model changed',
      'library @tensorflow/tfjs 4.21.0 -> 4.22.0',
    ]);
  });

  test('added and removed params', () => {
    const after: KeyInputs = { ...before, params: { prior: { shift: 0 }, burnIn: 500 } };
    expect(diffKeyInputs(before, after).map(describeReason)).toEqual(['params.burnIn (unset) -> 500', 'params.steps 1000 -> (unset)']);
  });

  test('format change', () => {
    expect(diffKeyInputs(before, { ...before, format: 2 }).map(describeReason)).toEqual(['engine format 1 -> 2']);
  });
});
