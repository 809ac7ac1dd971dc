/**
 * Runs the real `recon` CLI in a temporary copy of a fixture directory, with its own cache and
 * artifacts directories.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, inject } from 'vitest';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI of the compiled snapshot that test/global-setup.ts builds. */
export const bin = join(inject('reconRoot'), 'bin', 'recon.js');
export const fixtures = join(root, 'test', 'fixtures', 'engine');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** Copies `test/fixtures/engine/<name>` into a fresh temporary directory and returns it. */
export function project(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `recon-${name}-`));
  created.push(dir);
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}

const env = (): NodeJS.ProcessEnv => {
  const copy: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  delete copy.RECON_CACHE_DIR;
  return copy;
};

/** Runs the CLI to completion in `cwd`. */
export function recon(cwd: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, env: env(), encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI without waiting for it. */
export function startRecon(cwd: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface Summary {
  executed: number;
  cached: number;
  failed: number;
  skipped: number;
  instances: { executed: string[]; cached: string[]; failed: string[]; skipped: string[] };
}

/** Parses the summary, the last line of `run --json`. */
export function summaryOf(result: CliResult): Summary {
  const lines = result.stdout.trim().split('\n');
  const last = JSON.parse(lines[lines.length - 1]) as Summary & { type: string };
  if (last.type !== 'summary') throw new Error(`last line is not a summary: ${lines[lines.length - 1]}\n${result.stderr}`);
  return last;
}

/** Returns relative path -> SHA-256 of every file under `dir`, skipping engine bookkeeping. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== '.recon-artifacts.json') out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
