/**
 * Compiles the project once into a private snapshot directory for the CLI tests, which spawn the
 * real CLI and so need compiled JavaScript. A concurrent `npm run build` rewrites dist/ file by
 * file, so building into a snapshot keeps it from breaking a running test.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Root of the compiled snapshot: bin/recon.js, dist/, and links to src/, stages/, node_modules/. */
    reconRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const snapshot = mkdtempSync(join(tmpdir(), 'recon-build-'));
  try {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(snapshot, 'dist')], { cwd: root, stdio: 'pipe' });
  } catch {
    // Type errors in modules under development do not block the build (noEmitOnError is false).
  }
  mkdirSync(join(snapshot, 'bin'));
  copyFileSync(join(root, 'bin', 'recon.js'), join(snapshot, 'bin', 'recon.js'));
  copyFileSync(join(root, 'package.json'), join(snapshot, 'package.json'));
  for (const name of ['node_modules', 'src', 'stages']) symlinkSync(join(root, name), join(snapshot, name));
  project.provide('reconRoot', snapshot);
  return () => rmSync(snapshot, { recursive: true, force: true });
}
