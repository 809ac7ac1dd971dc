import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { keyParams } from '../../src/config/params.js';
import { cacheKey, ENGINE_FORMAT_VERSION, type KeyInputs } from '../../src/hashing.js';
import type { JsonObject, ParamSpec } from '../../src/stage-api.js';
import ingest from '../../stages/ingest.js';
import { recon, summaryOf } from './cli-helpers.js';

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

  test('ingest run from another directory is a no-op', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recon-key-params-'));
    try {
      mkdirSync(join(dir, 'project', 'sub'), { recursive: true });
      const rows = Array.from({ length: 30 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 3 === 0 ? 'a' : 'b'}`);
      writeFileSync(join(dir, 'project', 'flowers.csv'), ['x,y,species', ...rows, ''].join('\n'));
      writeFileSync(join(dir, 'project', 'flowers.yaml'), [
        'name: flowers',
        'datasets:',
        '  flowers: { file: flowers.csv, target: { column: species } }',
        'matrix:',
        '  dataset: [flowers]',
        'stages:',
        '  ingest: { uses: ingest, foreach: [dataset] }',
        '',
      ].join('\n'));
      const project = join(dir, 'project');
      const first = recon(project, 'run', 'flowers.yaml', '--json', '--cache-dir', 'cache', '--artifacts-dir', 'artifacts');
      expect(first.code, first.stderr).toBe(0);
      expect(summaryOf(first).executed).toBe(1);

      const fromSub = recon(join(project, 'sub'), 'run', '../flowers.yaml', '--json', '--cache-dir', '../cache', '--artifacts-dir', '../artifacts');
      expect(fromSub.code, fromSub.stderr).toBe(0);
      expect(summaryOf(fromSub).cached).toBe(1);

      renameSync(project, join(dir, 'moved'));
      const moved = recon(join(dir, 'moved'), 'run', 'flowers.yaml', '--json', '--cache-dir', 'cache', '--artifacts-dir', 'artifacts');
      expect(moved.code, moved.stderr).toBe(0);
      expect(summaryOf(moved).cached).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
