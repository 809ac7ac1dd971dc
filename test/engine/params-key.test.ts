import { describe, expect, test } from 'vitest';
import { keyParams } from '../../src/config/params.js';
import { cacheKey, ENGINE_FORMAT_VERSION, type KeyInputs } from '../../src/hashing.js';
import type { JsonObject, ParamSpec } from '../../src/stage-api.js';
import ingest from '../../stages/ingest.js';

const dataset: JsonObject = { file: 'flowers.csv', target: { column: 'species' } };
const params = (baseDir: string): JsonObject => ({ dataset, name: 'flowers', seed: 0, testFraction: 0.3, baseDir });

const keyOf = (baseDir: string): string => {
  const inputs: KeyInputs = { format: ENGINE_FORMAT_VERSION, kind: 'ingest', code: 'c0', params: keyParams(ingest.params, params(baseDir)), inputs: {}, libraries: {} };
  return cacheKey(inputs);
};

describe('key params', () => {
  test('ingest baseDir left out', () => {
    expect(keyParams(ingest.params, params('../projects/a'))).toEqual({ dataset, name: 'flowers', seed: 0, testFraction: 0.3 });
  });

  test('ingest key ignores location', () => {
    expect(keyOf('.')).toBe(keyOf('/srv/checkout/pipelines'));
    expect(keyOf('.')).not.toBe(cacheKey({ format: ENGINE_FORMAT_VERSION, kind: 'ingest', code: 'c0', params: { ...params('.'), seed: 1 }, inputs: {}, libraries: {} }));
  });

  test('params without key: false unchanged', () => {
    const specs: Record<string, ParamSpec> = { steps: { type: 'integer', description: 'steps' }, dir: { type: 'string', description: 'dir', key: true } };
    const given: JsonObject = { steps: 10, dir: 'x', undeclared: 1 };
    expect(keyParams(specs, given)).toBe(given);
  });

  // TODO: run the same pipeline from two working directories and expect a no-op, once plan.ts
  // builds KeyInputs.params and the rng seed from keyParams().
  test.todo('ingest run from another directory is a no-op');
});
