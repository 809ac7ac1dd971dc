/**
 * Reads a pipeline file into a Pipeline: YAML syntax, then the shape of every key. Semantic checks
 * that need stage definitions (kinds, params, inputs) live in check.ts.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { sha256Hex } from '../canonical-json.js';
import { DiagnosticError, suggestName, type Diagnostic, type Location } from '../diagnostic.js';
import { InputError } from '../errors.js';
import type { JsonObject, JsonValue } from '../stage-api.js';
import { SourceMap, type YamlPath } from './source-map.js';
import { checkDocument } from './yaml-checks.js';
import type { Axis, InputWire, Pipeline, StageSpec } from './types.js';

export const TOP_LEVEL_KEYS = ['name', 'description', 'vars', 'datasets', 'models', 'matrix', 'stages', 'report'];
export const STAGE_KEYS = ['uses', 'run', 'foreach', 'inputs', 'params', 'publish', 'deps', 'outputs', 'description'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const INPUT_PATTERN = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[\*\])?$/;

/** Reads and parses a pipeline file; raises DiagnosticError on any error in it. */
export function loadPipeline(file: string): Pipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : String(error);
    throw new InputError(`Pipeline file ${file} cannot be read: ${reason}.`, { value: file, hint: 'pass the path of a .yaml pipeline, for example pipelines/quickstart.yaml' });
  }
  return parsePipeline(file, text);
}

/** Parses pipeline text; `file` is used for messages and to resolve relative paths. */
export function parsePipeline(file: string, text: string): Pipeline {
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *defaults`) are a YAML 1.1 feature that many users expect, so they are on.
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const source = new SourceMap(file, text, document, lineCounter);
  // Later syntax errors are mostly consequences of the first, so keep only the first one. Duplicate
  // keys and tabs are independent of each other and are all kept.
  const errors = document.errors.filter((error, index) => index === 0 || error.code === 'DUPLICATE_KEY' || error.code === 'TAB_AS_INDENT');
  const syntax = errors.map((error): Diagnostic => ({
    severity: 'error',
    message: describeYamlError(error.code, error.message, text.slice(error.pos[0]).split(/[:\n]/)[0]),
    location: source.span(error.pos[0], error.pos[1]),
    hint: yamlHint(error.code, lineAt(text, error.pos[0])),
  }));
  if (syntax.length > 0) throw new DiagnosticError(syntax);

  const misused = checkDocument(document, source);
  if (misused.length > 0) throw new DiagnosticError(misused);
  let root: unknown;
  try {
    root = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // The yaml library stops after 1000 alias expansions, since nested aliases can exhaust memory.
    const tooMany = /alias count/i.test((error as Error).message);
    const message = tooMany ? 'Invalid YAML: aliases expand to more than 1000 copies of anchored values.' : `Invalid YAML: ${(error as Error).message.replace(/\.$/, '')}.`;
    const hint = tooMany ? 'write the repeated values out, or nest fewer aliases' : 'check the anchors (&name), aliases (*name) and merge keys (<<) in this file';
    throw new DiagnosticError([{ severity: 'error', message, location: firstAlias(document, source), hint }]);
  }

  const reader = new ShapeReader(source, root);
  const pipeline = reader.read(file, text);
  if (reader.diagnostics.length > 0) throw new DiagnosticError(reader.diagnostics);
  return pipeline;
}

/** Rewords a yaml library error; `found` is the text from the error's position to the next colon. */
function describeYamlError(code: string, message: string, found: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
  if (code === 'DUPLICATE_KEY') return `Duplicate key: map keys must be unique. Key ${JSON.stringify(found.trim())} appears earlier in the same mapping.`;
  if (code === 'MULTIPLE_DOCS') return 'Invalid YAML: the file contains more than one document (separated by ---).';
  return `Invalid YAML: ${first}.`;
}

/** Location of the first alias in the document, or of the file's start. */
function firstAlias(document: Document, source: SourceMap): Location {
  let range: [number, number, number] | undefined;
  visit(document, {
    Alias(_key, node) {
      range = node.range ?? undefined;
      return visit.BREAK;
    },
  });
  return range === undefined ? source.span(0, 1) : source.span(range[0], range[1]);
}

function yamlHint(code: string, line: string): string {
  if (line.includes('[*]') && line.includes('{')) return 'inside { } write the input as a quoted string, "stage[*]", or use one "name: stage[*]" line per input';
  if (code === 'TAB_AS_INDENT') return 'indent with spaces; YAML does not allow tabs for indentation';
  if (code === 'DUPLICATE_KEY') return 'remove or rename one of the two keys';
  if (code === 'MULTIPLE_DOCS') return 'a pipeline is one YAML document: remove the "---" separator and what follows, or split it into two files';
  return 'check the YAML syntax here: indentation with spaces, "key: value" with a space after the colon, and closed quotes and brackets';
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? text.length : end);
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalarValue = (value: unknown): boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Walks the plain JS form of the document, checking shapes and collecting diagnostics. */
class ShapeReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly source: SourceMap,
    private readonly root: unknown,
  ) {}

  read(file: string, text: string): Pipeline {
    const root = isObject(this.root) ? this.root : {};
    if (this.root === null || this.root === undefined) {
      this.fail([], 'The pipeline file is empty: it contains no YAML value.', 'add at least a "stages:" mapping, for example stages: { ingest: { uses: ingest } }');
    } else if (!isObject(this.root)) {
      this.fail([], `A pipeline must be a mapping with a "stages" key; found ${describe(this.root)}.`, 'start from a file such as pipelines/quickstart.yaml: top-level keys name, matrix, stages, ...');
    }
    this.checkKeys(root, [], TOP_LEVEL_KEYS, 'top-level keys');
    const stagesValue = this.mapping(root.stages, ['stages']) ?? {};
    if (root.stages === undefined && isObject(this.root)) this.fail([], 'Missing required key "stages".', 'add a "stages:" mapping of stage name -> stage');
    const defaultName = basename(file, extname(file));
    const name = this.string(root.name, ['name']) ?? defaultName;
    if (!NAME_PATTERN.test(name)) this.fail(['name'], `Invalid pipeline name "${name}": it names a directory under artifacts/.`, 'use letters, digits, ".", "_" and "-"');
    const stages = Object.entries(stagesValue).map(([stageName, spec]) => this.stage(stageName, spec));
    return {
      name,
      file,
      dir: dirname(resolve(file)),
      hash: sha256Hex(text),
      description: this.string(root.description, ['description']),
      vars: this.mapping(root.vars, ['vars']) ?? {},
      datasets: this.mapping(root.datasets, ['datasets']) ?? {},
      models: this.mapping(root.models, ['models']) ?? {},
      matrix: this.matrix(root.matrix),
      stages,
      report: this.string(root.report, ['report']),
      source: this.source,
    };
  }

  private matrix(value: unknown): Axis[] {
    const matrix = this.mapping(value, ['matrix']) ?? {};
    return Object.entries(matrix).map(([name, values]) => {
      const path = ['matrix', name];
      if (!NAME_PATTERN.test(name) || name.includes('.')) this.fail(path, `Invalid axis name "${name}".`, 'use letters, digits, "_" and "-"', 'key');
      if (!Array.isArray(values)) {
        this.fail(path, `Matrix axis "${name}" must be a list of values; found ${describe(values)}.`, `write ${name}: [value, ...]`);
        return { name, values: [] };
      }
      if (values.length === 0) this.fail(path, `Matrix axis "${name}" is empty.`, 'give at least one value, or remove the axis');
      values.forEach((item, index) => this.axisValue(item, [...path, index]));
      return { name, values: values as JsonValue[] };
    });
  }

  private axisValue(value: unknown, path: YamlPath): void {
    if (isScalarValue(value)) return;
    if (isObject(value) && Object.values(value).every(isScalarValue)) return;
    this.fail(path, `Invalid matrix value ${JSON.stringify(value)}: values are numbers, strings, booleans or flat objects of those.`, 'write a scalar, or a flat mapping such as { kind: gaussian, shift: 1 }');
  }

  private stage(name: string, value: unknown): StageSpec {
    const path = ['stages', name];
    if (!NAME_PATTERN.test(name)) this.fail(path, `Invalid stage name "${name}".`, 'use letters, digits, ".", "_" and "-"', 'key');
    const spec = this.mapping(value, path) ?? {};
    this.checkKeys(spec, path, STAGE_KEYS, 'stage keys');
    const uses = this.string(spec.uses, [...path, 'uses']);
    const run = this.string(spec.run, [...path, 'run']);
    if ((uses === undefined) === (run === undefined)) {
      this.fail(path, `Stage "${name}" needs exactly one of "uses" (a stage kind) or "run" (a shell command).`, 'add uses: <kind>, or run: <command> with outputs', 'key');
    }
    const outputs = this.stringMap(spec.outputs, [...path, 'outputs']);
    if (run !== undefined && spec.outputs === undefined) {
      this.fail([...path, 'run'], `Shell stage "${name}" has no "outputs".`, 'declare the files the command writes, for example outputs: { png: plot.png }');
    }
    return {
      name,
      uses,
      run,
      foreach: this.stringList(spec.foreach, [...path, 'foreach']),
      inputs: this.inputs(spec.inputs, [...path, 'inputs']),
      params: this.mapping(spec.params, [...path, 'params']) ?? {},
      publish: this.boolean(spec.publish, [...path, 'publish']) ?? false,
      deps: this.stringList(spec.deps, [...path, 'deps']),
      outputs,
      description: this.string(spec.description, [...path, 'description']),
    };
  }

  private inputs(value: unknown, path: YamlPath): InputWire[] {
    const inputs = this.stringMap(value, path);
    return Object.entries(inputs).flatMap(([name, text]) => {
      const match = INPUT_PATTERN.exec(text.trim());
      if (!match) {
        this.fail([...path, name], `Invalid input "${text}": expected a stage name or stage[*].`, 'write { name: stage } or { name: stage[*] }');
        return [];
      }
      return [{ name, stage: match[1], many: match[2] !== undefined }];
    });
  }

  private checkKeys(object: JsonObject, path: YamlPath, allowed: string[], what: string): void {
    for (const key of Object.keys(object)) {
      if (allowed.includes(key)) continue;
      const where = path.length === 0 ? 'top-level key' : `key in stage "${path[path.length - 1]}"`;
      this.fail([...path, key], `Unknown ${where} "${key}".`, suggestName(key, allowed, what), 'key');
    }
  }

  private mapping(value: unknown, path: YamlPath): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (isObject(value)) return value;
    this.fail(path, `"${path[path.length - 1]}" must be a mapping; found ${describe(value)}.`, `write ${path[path.length - 1]}: followed by indented "key: value" lines, or { key: value }`);
    return undefined;
  }

  private string(value: unknown, path: YamlPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.fail(path, `"${path[path.length - 1]}" must be a string; found ${describe(value)}.`, `write ${path[path.length - 1]}: "<text>"`);
    return undefined;
  }

  private boolean(value: unknown, path: YamlPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.fail(path, `"${path[path.length - 1]}" must be true or false; found ${describe(value)}.`, `write ${path[path.length - 1]}: true or ${path[path.length - 1]}: false`);
    return undefined;
  }

  private stringList(value: unknown, path: YamlPath): string[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    this.fail(path, `"${path[path.length - 1]}" must be a list of strings; found ${describe(value)}.`, `write ${path[path.length - 1]}: [a, b]`);
    return [];
  }

  private stringMap(value: unknown, path: YamlPath): Record<string, string> {
    const object = this.mapping(value, path) ?? {};
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(object)) {
      if (typeof item === 'string') result[key] = item;
      else this.fail([...path, key], `"${key}" must be a string; found ${describe(item)}.`, `write ${key}: "<text>"`);
    }
    return result;
  }

  private fail(path: YamlPath, message: string, hint: string, part: 'key' | 'value' = 'value'): void {
    this.diagnostics.push(this.source.error(path, message, hint, part));
  }
}

/** Describes a value's type for messages: `a number (3)`, `a list`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
