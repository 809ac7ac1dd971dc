/**
 * Where tests find the real UCI datasets: the mirror folder named by RECON_DATA_DIR, or else a
 * `shared/datasets` folder beside the repository (how CI lays it out). Without it, vitest.config.ts
 * leaves out the suites that need the files.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of the dataset mirror folder. */
export const MIRROR_DIR = resolve(process.env.RECON_DATA_DIR ?? join(repositoryRoot, '..', 'shared', 'datasets'));

/** True when the mirror contains the Heart Disease and Sirtuin6 files. */
export const HAVE_MIRROR =
  existsSync(join(MIRROR_DIR, 'heart_disease_cleveland', 'processed.cleveland.data')) &&
  existsSync(join(MIRROR_DIR, 'sirtuin6', 'SIRTUIN6.csv'));

