import { appendFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { canonicalJson } from '../../src/canonical-json.js';
import { StatCache } from '../../src/cache/stat-cache.js';
import { loadStageKind } from '../../src/config/stage-kinds.js';
import { cacheKey, CodeHasher, ENGINE_FORMAT_VERSION, manifestHash, scanImports, type KeyInputs } from '../../src/hashing.js';

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function modules(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recon-hash-'));
  created.push(dir);
  writeFileSync(join(dir, 'stage.ts'), "import { a } from './a.js';\nexport const lazy = () => import('./b.js');\n");
  writeFileSync(join(dir, 'a.ts'), "export * from './c.js';\nexport const a = 1;\n");
  writeFileSync(join(dir, 'b.ts'), 'export const b = 2;\n');
  writeFileSync(join(dir, 'c.ts'), 'export const c = 3;\n');
  writeFileSync(join(dir, 'unrelated.ts'), 'export const u = 4;\n');
  return dir;
}

const codeHash = (dir: string): string => new CodeHasher(new StatCache(join(dir, 'stat-cache.json'))).hash(join(dir, 'stage.ts'));

/** Creates a fake installation: sources in stages/ and src/, compiled modules in dist/ built after them. */
function installation(): string {
  const root = mkdtempSync(join(tmpdir(), 'recon-build-hash-'));
  created.push(root);
  const files: Record<string, string> = {
    'stages/kind.ts': "import { helper } from '../src/helper.js';\nexport default helper;\n",
    'src/helper.ts': 'export const helper = 1;\n',
    'dist/stages/kind.js': "import { helper } from '../src/helper.js';\nexport default helper;\n",
    'dist/src/helper.js': 'export const helper = 1;\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const built = new Date(Date.now() - 60_000);
  const edited = new Date(Date.now() - 120_000);
  for (const path of Object.keys(files)) utimesSync(join(root, path), edited, path.startsWith('dist/') ? built : edited);
  return root;
}

function compiledHash(root: string, warnings: string[] = []): string {
  const hasher = new CodeHasher(new StatCache(join(root, 'stat-cache.json')), (message) => warnings.push(message), root);
  return hasher.hash(join(root, 'dist/stages/kind.js'));
}

const base: KeyInputs = { format: ENGINE_FORMAT_VERSION, kind: 'sample', code: 'c0', params: { steps: 1000 }, inputs: { model: 'm0' }, libraries: { 'ml-cart': '2.1.1' } };

describe('hashing', () => {
  test('canonical JSON sorts keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  test('scans static, re-export and dynamic imports', () => {
    const text = "import x from './x.js';\nimport type { Y } from '../y.js';\nexport * from './z.js';\nawait import('./w.js');\nimport 'node:fs';\nimport('lodash');";
    expect(scanImports(text).sort()).toEqual(['../y.js', './w.js', './x.js', './z.js']);
  });

  test('code hash follows imports transitively', () => {
    const dir = modules();
    const before = codeHash(dir);
    appendFileSync(join(dir, 'c.ts'), '// changed\n');
    expect(codeHash(dir)).not.toBe(before);
  });

  test('code hash follows dynamic imports', () => {
    const dir = modules();
    const before = codeHash(dir);
    appendFileSync(join(dir, 'b.ts'), '// changed\n');
    expect(codeHash(dir)).not.toBe(before);
  });

  test('unrelated module leaves the hash', () => {
    const dir = modules();
    const before = codeHash(dir);
    appendFileSync(join(dir, 'unrelated.ts'), '// changed\n');
    expect(codeHash(dir)).toBe(before);
  });

  test('key changes with each field', () => {
    const key = cacheKey(base);
    expect(cacheKey({ ...base, params: { steps: 2000 } })).not.toBe(key);
    expect(cacheKey({ ...base, code: 'c1' })).not.toBe(key);
    expect(cacheKey({ ...base, inputs: { model: 'm1' } })).not.toBe(key);
    expect(cacheKey({ ...base, libraries: { 'ml-cart': '2.1.2' } })).not.toBe(key);
    expect(cacheKey({ ...base, kind: 'sample2' })).not.toBe(key);
  });

  test('key ignores key order', () => {
    expect(cacheKey({ libraries: base.libraries, inputs: base.inputs, params: base.params, code: 'c0', kind: 'sample', format: ENGINE_FORMAT_VERSION })).toBe(cacheKey(base));
  });

  test('manifest hash depends on paths and contents', () => {
    const manifest = manifestHash({ 'a.json': { hash: 'h1' }, 'b.json': { hash: 'h2' } });
    expect(manifestHash({ 'b.json': { hash: 'h2' }, 'a.json': { hash: 'h1' } })).toBe(manifest);
    expect(manifestHash({ 'a.json': { hash: 'h2' }, 'b.json': { hash: 'h1' } })).not.toBe(manifest);
  });

  test('code hash follows compiled imports', () => {
    const root = installation();
    const before = compiledHash(root);
    appendFileSync(join(root, 'dist/src/helper.js'), 'export const added = 2;\n');
    expect(compiledHash(root)).not.toBe(before);
  });

  test('source edit before build keeps hash', () => {
    const root = installation();
    const before = compiledHash(root);
    appendFileSync(join(root, 'src/helper.ts'), 'export const added = 2;\n');
    const warnings: string[] = [];
    expect(compiledHash(root, warnings)).toBe(before);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('run npm run build');
    expect(warnings[0]).toContain(join('src', 'helper.ts'));
  });

  test('fresh build gives no warning', () => {
    const warnings: string[] = [];
    compiledHash(installation(), warnings);
    expect(warnings).toEqual([]);
  });

  test('stale build warns once per run', () => {
    const root = installation();
    writeFileSync(join(root, 'dist/stages/other.js'), "export { helper } from '../src/helper.js';\n");
    utimesSync(join(root, 'src/helper.ts'), new Date(), new Date());
    const warnings: string[] = [];
    const hasher = new CodeHasher(new StatCache(join(root, 'stat-cache.json')), (message) => warnings.push(message), root);
    hasher.hash(join(root, 'dist/stages/kind.js'));
    hasher.hash(join(root, 'dist/stages/other.js'));
    expect(warnings).toHaveLength(1);
  });

  test('built-in kind hashes compiled module', async () => {
    const result = await loadStageKind('ingest', tmpdir());
    if (!result.ok) throw new Error(result.message);
    expect(result.value.codeEntry).toBe(result.value.modulePath);
    expect(result.value.codeEntry).toMatch(/dist[\\/]stages[\\/]ingest\.js$/);
  });
});
