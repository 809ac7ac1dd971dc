import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { describeReason, diffKeyInputs } from '../../src/explain.js';
import type { KeyInputs } from '../../src/hashing.js';
import { project, recon } from './cli-helpers.js';

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

  test('pending input printed once', () => {
    const dir = project('basic');
    expect(recon(dir, 'run', 'pipeline.yaml').code).toBe(0);
    const edit = (file: string, from: string, to: string): void => writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to));
    edit('stages/make-data.mjs', 'default: 5', 'default: 6');
    edit('pipeline.yaml', 'factor: 2', 'factor: 3');
    const result = recon(dir, 'explain', 'pipeline.yaml', 'fit[alpha,small,seed=0]');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['fit[alpha,small,seed=0]: reruns', '  input data will be recomputed (data[alpha,seed=0])', '  params.factor 2 -> 3']);
    expect(lines[3]).toMatch(/^  last run: key /);
    expect(lines).toHaveLength(4);
  });
});
