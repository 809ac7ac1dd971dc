import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderCliReference } from '../../src/cli-options.js';
import { STAGE_KEYS, TOP_LEVEL_KEYS } from '../../src/config/load.js';
import { root } from './cli-helpers.js';

describe('docs', () => {
  test('cli reference is up to date', () => {
    expect(readFileSync(join(root, 'docs/cli.md'), 'utf8')).toBe(`${renderCliReference()}\n`);
  });

  test('schema keys match the loader', () => {
    const schema = JSON.parse(readFileSync(join(root, 'pipelines/schema.json'), 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual([...TOP_LEVEL_KEYS].sort());
    expect(Object.keys(schema.$defs.stage.properties).sort()).toEqual([...STAGE_KEYS].sort());
  });

  test('cli reference lists environment variables', () => {
    const reference = renderCliReference();
    for (const name of ['RECON_CACHE_DIR', 'RECON_DATA_DIR', 'RECON_DOWNLOAD_DIR', 'RECON_OFFLINE', 'CI']) expect(reference).toContain(`| \`${name}\` | `);
    expect(reference).toContain('a cache or artifacts\ndirectory that cannot be written');
  });

  test('pipeline format covers hooks and merge keys', () => {
    const text = readFileSync(join(root, 'docs/pipeline-format.md'), 'utf8');
    expect(text).toContain('[datasets.md](datasets.md)');
    expect(text).toContain('`<<: *defaults`');
    expect(text).toContain('- `validate(params)`');
    expect(text).toContain('- `fileParams(params)`');
    expect(text).toContain('`dist/stages/<kind>.js`');
  });
});
