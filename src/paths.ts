/**
 * Locations inside the recon installation. The engine runs from compiled JavaScript in dist/src/,
 * and from src/ under tsx or vitest; both resolve to the same project root.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Root of the recon package (the directory holding package.json, stages/ and dist/). */
export const projectRoot = basename(dirname(here)) === 'dist' ? resolve(here, '../..') : resolve(here, '..');

/** Directory of the compiled built-in stages, `dist/stages/<kind>.js`. */
export const compiledStagesDir = join(projectRoot, 'dist', 'stages');

/** Directory of the TypeScript sources of the built-in stages. */
export const sourceStagesDir = join(projectRoot, 'stages');
