import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parsePriorConfig } from '../../src/priors/config.js';

function errorOf(value: unknown): InputError {
  try {
    parsePriorConfig(value);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parsePriorConfig', () => {
  test('gaussian defaults', () => {
    expect(parsePriorConfig({ kind: 'gaussian' })).toEqual({ kind: 'gaussian', shift: 0, scale: 1 });
    expect(parsePriorConfig({ kind: 'gaussian', shift: 1.5, scale: 2 })).toEqual({ kind: 'gaussian', shift: 1.5, scale: 2 });
  });

  test('uniform and empirical defaults', () => {
    expect(parsePriorConfig({ kind: 'uniform' })).toEqual({ kind: 'uniform', margin: 0.1 });
    expect(parsePriorConfig({ kind: 'empirical' })).toEqual({ kind: 'empirical', points: 1024 });
  });

  test('string shorthand', () => {
    expect(parsePriorConfig('uniform')).toEqual({ kind: 'uniform', margin: 0.1 });
  });

  test('unknown kind', () => {
    const error = errorOf({ kind: 'laplace' });
    expect(error.message).toContain('prior.kind "laplace"');
    expect(error.hint).toContain('gaussian, uniform, empirical');
  });

  test('missing kind', () => {
    expect(errorOf({ shift: 1 }).message).toContain('Invalid prior.kind undefined');
  });

  test('unknown key', () => {
    const error = errorOf({ kind: 'gaussian', sigma: 2 });
    expect(error.message).toBe('Unknown key prior.sigma for a gaussian prior.');
    expect(error.hint).toBe('valid keys for a gaussian prior: kind, shift, scale');
  });

  test('key of another kind', () => {
    expect(errorOf({ kind: 'uniform', shift: 1 }).message).toBe('Unknown key prior.shift for a uniform prior.');
  });

  test('non-positive scale', () => {
    const error = errorOf({ kind: 'gaussian', scale: 0 });
    expect(error.message).toContain('Invalid prior.scale 0');
    expect(error.hint).toContain('a number > 0');
  });

  test('non-numeric shift', () => {
    expect(errorOf({ kind: 'gaussian', shift: 'far' }).message).toContain('Invalid prior.shift "far"');
  });

  test('negative margin', () => {
    expect(errorOf({ kind: 'uniform', margin: -0.1 }).hint).toContain('a number >= 0');
  });

  test('fractional points', () => {
    expect(errorOf({ kind: 'empirical', points: 100.5 }).hint).toContain('an integer >= 16');
  });

  test('not an object', () => {
    expect(errorOf(3).message).toContain('expected an object');
    expect(errorOf(null).message).toContain('expected an object');
  });
});
