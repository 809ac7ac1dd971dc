#!/usr/bin/env node
// Launcher of `npm run bench`: compiles the project (bench/ included) with tsc so the figures are
// for the current sources, then runs dist/bench/run.js. `--no-build` skips the compile step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const skipBuild = argv.includes('--no-build');

if (!skipBuild) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  // Type errors still emit JavaScript (noEmitOnError is false), so they are reported, not fatal.
  if (build.status !== 0) process.stderr.write(`[bench] tsc reported errors; running the emitted JavaScript anyway:\n${build.stdout}${build.stderr}`);
}

const entry = join(root, 'dist', 'bench', 'run.js');
if (!existsSync(entry)) {
  process.stderr.write(`error: ${entry} is missing; run \`npm run build\` first\n`);
  process.exitCode = 2;
} else {
  const { main } = await import(entry);
  process.exitCode = await main(argv.filter((arg) => arg !== '--no-build'));
}
