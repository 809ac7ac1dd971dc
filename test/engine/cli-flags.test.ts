import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bin, project, recon, root } from './cli-helpers.js';

const dir = project('basic');

describe('cli flags', () => {
  test.each(['0', '-1', '1.5', 'two', ''])('--jobs %j rejected', (value) => {
    const result = recon(dir, 'run', 'pipeline.yaml', '--dry-run', `--jobs=${value}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error --jobs expects a whole number of at least 1; found "${value}".`);
    expect(result.stdout).toBe('');
  });

  test('--wait 0 accepted', () => {
    const result = recon(dir, 'run', 'pipeline.yaml', '--dry-run', '--wait', '0');
    expect(result.code, result.stderr).toBe(0);
  });

  test('--version prints package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const result = recon(dir, '--version');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  test('closed stdout exits quietly', () => {
    // About 140 KB of stale lines, more than a Linux pipe buffer (64 KiB by default) takes, so
    // writes fail once head exits.
    const seeds = Array.from({ length: 2000 }, (_, i) => i).join(', ');
    const text = `matrix:\n  dataset: [alpha]\n  seed: [${seeds}]\nstages:\n  data:\n    uses: ./stages/make-data.mjs\n    foreach: [dataset, seed]\n`;
    writeFileSync(join(dir, 'many.yaml'), text);
    const script = `"${process.execPath}" "${bin}" status many.yaml 2> status.err | head -3; echo "exit \${PIPESTATUS[0]}"`;
    const result = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^stale data\[alpha,seed=0\]: /);
    expect(lines[3]).toBe('exit 0');
    // A stale-build warning may appear while sources are being edited, so only errors are checked.
    const stderr = readFileSync(join(dir, 'status.err'), 'utf8');
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toContain('Error');
  });
});
