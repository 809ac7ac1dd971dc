/**
 * Cache keys. The key of an instance is the SHA-256 of a canonical JSON of its KeyInputs, the
 * plain object below. Run records keep a copy, so `explain` can diff it field by field.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { canonicalJson, sha256Hex, type CacheKey, type ContentHash } from './canonical-json.js';
import type { StatCache } from './cache/stat-cache.js';
import { projectRoot } from './paths.js';
import type { JsonObject } from './stage-api.js';

/** Version of the key and record layout; bumping it makes every instance rerun. */
export const ENGINE_FORMAT_VERSION = 1;

/** Everything that determines an instance's outputs. */
export interface KeyInputs {
  /** Engine format version: a new layout must not reuse records of an older one. */
  format: number;
  /** `uses` value, or `shell`: a different implementation gives different outputs. */
  kind: string;
  /**
   * Hash of the JavaScript module that runs (dist/stages/<kind>.js for built-in kinds, the file
   * itself for custom modules) and every project module it imports: rebuilding changed code reruns.
   */
  code?: string;
  /** Shell stages: the command as written, since it is the code. */
  command?: string;
  /**
   * Content hash per file the stage reads (path relative to the pipeline): a shell stage's `deps`,
   * or the files a built-in stage's fileParams() names.
   */
  deps?: Record<string, string>;
  /** Resolved params: the stage's configuration. */
  params: JsonObject;
  /** Input name -> manifest hash (or list, for stage[*]) of the upstream outputs it reads. */
  inputs: Record<string, string | string[]>;
  /** Installed versions of the npm packages the stage declares in `libraries`. */
  libraries: Record<string, string>;
}

/** Returns the cache key of the given key inputs. */
export function cacheKey(inputs: KeyInputs): CacheKey {
  return sha256Hex(canonicalJson(inputs)) as CacheKey;
}

/** Returns the hash of an output manifest (relative path -> object hash). */
export function manifestHash(outputs: Record<string, { hash: string }>): ContentHash {
  const manifest: Record<string, string> = {};
  for (const [path, entry] of Object.entries(outputs)) manifest[path] = entry.hash;
  return sha256Hex(canonicalJson(manifest)) as ContentHash;
}

const IMPORT_PATTERN = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Lists the relative module specifiers (static, re-export and dynamic imports) in a source. */
export function scanImports(text: string): string[] {
  return [...new Set([...text.matchAll(IMPORT_PATTERN)].map((match) => match[1]))];
}

/** Hashes a module and every project module it imports, following relative imports. */
export class CodeHasher {
  private readonly memo = new Map<string, string>();
  private warned = false;

  /**
   * `root` is the recon installation whose dist/ contains the compiled modules. `warn` receives the
   * stale-build warning at most once per CodeHasher; the default prints it once per process.
   */
  constructor(
    private readonly stats: StatCache,
    private readonly warn: (message: string) => void = warnOnStderr,
    private readonly root: string = projectRoot,
  ) {}

  /** Hash of the code reachable from `entry`, computed once per entry per run. */
  hash(entry: string): string {
    let hash = this.memo.get(entry);
    if (hash === undefined) {
      const files = this.collect(entry);
      const base = dirname(entry);
      const listing = [...files.entries()].map(([path, fileHash]) => [relative(base, path), fileHash]).sort();
      hash = sha256Hex(canonicalJson(listing));
      this.memo.set(entry, hash);
      this.checkBuild(files.keys());
    }
    return hash;
  }

  /**
   * Warns when a TypeScript source is newer than the compiled module that runs. It warns rather
   * than fails because the key follows the compiled code, so cached results stay correct. Commands
   * such as `status` must also keep working while someone edits sources.
   */
  private checkBuild(files: Iterable<string>): void {
    if (this.warned) return;
    const stale = staleSources(files, this.root);
    if (stale.length === 0) return;
    this.warned = true;
    const shown = stale.slice(0, 3).map((path) => relative(this.root, path)).join(', ');
    const more = stale.length > 3 ? ` and ${stale.length - 3} more` : '';
    this.warn(`sources changed since the last build: run npm run build (newer than dist/: ${shown}${more})`);
  }

  private collect(entry: string): Map<string, string> {
    const files = new Map<string, string>();
    const pending = [entry];
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (files.has(path)) continue;
      const { hash, imports } = this.stats.hashFile(path, scanImports);
      files.set(path, hash);
      for (const specifier of imports) {
        const target = resolveModule(dirname(path), specifier);
        if (target !== undefined && !files.has(target)) pending.push(target);
      }
    }
    return files;
  }
}

let warnedOnStderr = false;

/** Prints a warning on stderr once per process, since `explain` plans more than once per command. */
function warnOnStderr(message: string): void {
  if (warnedOnStderr) return;
  warnedOnStderr = true;
  process.stderr.write(`warning: ${message}\n`);
}

/**
 * Lists the TypeScript sources under `root` that are newer than their compiled modules among
 * `files`: `<root>/dist/stages/x.js` is built from `<root>/stages/x.ts`, `dist/src/y.js` from `src/y.ts`.
 */
export function staleSources(files: Iterable<string>, root: string): string[] {
  const dist = join(root, 'dist') + sep;
  const stale: string[] = [];
  for (const file of files) {
    if (!file.startsWith(dist) || !file.endsWith('.js')) continue;
    const source = join(root, file.slice(dist.length, -3) + '.ts');
    try {
      if (statSync(source).mtimeMs > statSync(file).mtimeMs) stale.push(source);
    } catch {
      // No source next to this module (a package without sources): nothing to compare.
    }
  }
  return stale.sort();
}

/**
 * Resolves a relative specifier to the file that Node loads: the file as written when it exists.
 * A `.js` specifier falls back to its `.ts` source, for modules run from source by tsx.
 */
function resolveModule(dir: string, specifier: string): string | undefined {
  const base = resolve(dir, specifier);
  const extension = extname(base);
  const candidates =
    extension === '.js'
      ? [base, base.slice(0, -3) + '.ts']
      : extension === '' ? [`${base}.js`, `${base}.mjs`, `${base}.ts`, join(base, 'index.js'), join(base, 'index.ts')] : [base];
  return candidates.find((candidate) => existsSync(candidate));
}

const versionMemo = new Map<string, string>();

/** Installed version of an npm package, looked up from the recon installation, or 'missing'. */
export function installedVersion(name: string): string {
  let version = versionMemo.get(name);
  if (version === undefined) {
    version = 'missing';
    for (let dir = projectRoot; ; dir = dirname(dir)) {
      const manifest = join(dir, 'node_modules', name, 'package.json');
      if (existsSync(manifest)) {
        version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown';
        break;
      }
      if (dirname(dir) === dir) break;
    }
    versionMemo.set(name, version);
  }
  return version;
}
