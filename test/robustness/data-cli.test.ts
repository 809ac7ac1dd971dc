/**
 * Bad data files through the real CLI. Each run must exit with code 2 and name the file, with line
 * and column for row-level errors and a hint, on stderr and in the --json event. The cache and
 * artifacts directories must stay byte-for-byte as they were.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashTree, jsonEvents, makeProject, removeProject, runPipeline, writeFiles, type Project } from '../fixtures/robustness/data/cli.js';

const GOOD = 'a,b,label\n1,2,x\n2,3,x\n3,1,x\n4,5,y\n5,6,y\n6,7,y\n';

/** Builds a 10 MB line of 2,500,001 numeric cells ("1.5") separated by commas. */
function tenMegabyteLine(): string {
  return `${'1.5,'.repeat(2_500_000)}1.5`;
}

interface CliCase {
  name: string;
  csv: string | (() => string);
  /** Encoding of the written file, UTF-8 unless given. */
  bytes?: BufferEncoding;
  spec?: Record<string, unknown>;
  /** Expected message after the file path, e.g. `:3: row has 2 fields`. */
  message: RegExp;
  line?: number;
  column?: number;
  hint: RegExp;
}

const CASES: CliCase[] = [
  { name: 'empty', csv: '', message: /: the file is empty/, hint: /check the path/ },
  { name: 'header-only', csv: 'a,b,label\n', message: /: the file has a header but no data rows/, line: 1, hint: /header: false/ },
  { name: 'ragged', csv: 'a,b,label\n1,2,x\n3,4\n5,6,y\n', message: /:3: row has 2 fields, expected 3/, line: 3, hint: /quote fields that contain the delimiter/ },
  { name: 'non-numeric', csv: 'a,b,label\n1,2,x\n2,abc,x\n3,1,x\n4,5,y\n5,6,y\n6,7,y\n', message: /:3:2: column "b" contains "abc", which is not a number/, line: 3, column: 2, hint: /encode: \{ b: \{ "abc": 0/ },
  { name: 'nan-literal', csv: 'a,b,label\n1,2,x\n2,3,x\nNaN,1,x\n4,5,y\n5,6,y\n6,7,y\n', message: /:4:1: column "a" contains "NaN", which is not a finite number/, line: 4, column: 1, hint: /add "NaN" to missing/ },
  { name: 'infinity-literal', csv: 'a,b,label\n1,2,x\n2,3,x\n3,1,x\n4,5,y\n5,-Infinity,y\n6,7,y\n', message: /:6:2: column "b" contains "-Infinity", which is not a finite number/, line: 6, column: 2, hint: /add "-Infinity" to missing/ },
  { name: 'all-missing', csv: 'a,b,label\n1,,x\n2,,x\n3,,x\n4,,y\n5,,y\n6,,y\n', message: /: column "b" has no value in any row/, column: 2, hint: /drop: \[b\]/ },
  {
    name: 'unknown-target',
    csv: 'a,b,num\n1,2,0\n2,3,0\n3,1,0\n4,5,2\n5,6,1\n6,7,1\n7,8,1\n',
    spec: { target: { column: 'num', classes: { absent: '== 0', present: '== 1' } } },
    message: /:5:3: target value "2" matches no class of \{ absent: "== 0", present: "== 1" \}/,
    line: 5,
    column: 3,
    hint: /add a rule for "2" to target.classes/,
  },
  { name: 'single-class', csv: 'a,b,label\n1,2,x\n2,3,x\n3,1,x\n4,5,x\n', message: /: at least two classes are needed, but only class "x" has rows/, hint: /target.column/ },
  { name: 'one-row-class', csv: `${GOOD}7,7,z\n`, message: /: Class "z" has 1 row, which leaves 1 for training \(at least 2 needed\)/, hint: /merge rare classes/ },
  { name: 'missing-target', csv: GOOD, spec: { target: { column: 'lable' } }, message: /: column "lable" named in target.column is not in the file/, hint: /did you mean "label"/ },
  { name: 'duplicate-columns', csv: GOOD.replace('a,b,', 'a,a,'), message: /:1: duplicate column name "a" \(columns 1 and 2\)/, line: 1, column: 2, hint: /rename one of them/ },
  { name: 'utf16', csv: () => `\uFEFF${GOOD}`, bytes: 'utf16le', message: /: the file is UTF-16 text; only UTF-8 is read/, hint: /iconv -f UTF-16/ },
  { name: 'single-line-10mb', csv: tenMegabyteLine, message: /: the file has a header but no data rows/, line: 1, hint: /header: false/ },
  { name: 'ragged-row-10mb', csv: () => `a,b,label\n1,2,x\n${tenMegabyteLine()}\n`, message: /:3: row has 2500001 fields, expected 3/, line: 3, hint: /quote fields/ },
];

function pipelineYaml(name: string, spec: Record<string, unknown>): string {
  // JSON is valid YAML flow syntax, so the spec goes in as JSON.
  return [`name: ${name}`, 'datasets:', `  ${name}: ${JSON.stringify(spec)}`, 'matrix:', `  dataset: [${name}]`, 'stages:', '  ingest: { uses: ingest, foreach: [dataset] }', ''].join('\n');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Failure logs and the stat cache (content hashes of files the run read, the bad data file among
// them) are bookkeeping. Objects, records and views must not change.
const notLogs = (path: string) => path === 'logs' || path.startsWith('logs/') || path === 'stat-cache.json';

describe('bad data files through the CLI', () => {
  let project: Project;

  beforeAll(() => {
    project = makeProject('data-cli');
    writeFiles(project, { 'good.csv': GOOD, 'good.yaml': pipelineYaml('good', { file: 'good.csv', target: { column: 'label' } }) });
    // A successful run first, so the cache contains objects and run records that a failure must not touch.
    const warm = runPipeline(project, 'good.yaml', ['--json']);
    expect(warm.code, warm.stderr).toBe(0);
  });

  // The 10 MB files are not worth keeping in the temporary directory.
  afterAll(() => removeProject(project));

  test.each(CASES)('$name exits 2', ({ name, csv, bytes, spec, message, line, column, hint }) => {
    const file = join(project.dir, `${name}.csv`);
    writeFiles(project, {
      [`${name}.csv`]: Buffer.from(typeof csv === 'function' ? csv() : csv, bytes ?? 'utf8'),
      [`${name}.yaml`]: pipelineYaml(name, { file: `${name}.csv`, target: { column: 'label' }, ...spec }),
    });
    const cacheBefore = hashTree(project.cacheDir, notLogs);
    const artifactsBefore = hashTree(project.artifactsDir);
    expect(Object.keys(cacheBefore).length).toBeGreaterThan(0);

    const plain = runPipeline(project, `${name}.yaml`);
    expect(plain.code, plain.stderr.slice(0, 2000)).toBe(2);
    expect(plain.stderr).toMatch(new RegExp(`FAILED ingest\\[${escape(name)}\\]: InputError: ${escape(file)}${message.source}`));
    expect(plain.stderr).toMatch(new RegExp(`hint: .*${hint.source}`));
    // No value is echoed whole: a 10 MB row must not turn into a 10 MB message.
    expect(plain.stderr.length).toBeLessThan(4000);

    const json = runPipeline(project, `${name}.yaml`, ['--json']);
    expect(json.code).toBe(2);
    const failed = jsonEvents(json).find((event) => event.type === 'instance-failed');
    expect(failed?.id).toBe(`ingest[${name}]`);
    expect(failed?.error.name).toBe('InputError');
    expect(failed?.error.location.file).toBe(file);
    expect(failed?.error.location.line).toBe(line);
    expect(failed?.error.location.column).toBe(column);
    expect(failed?.error.hint).toMatch(hint);
    expect(json.stdout.length).toBeLessThan(8000);

    expect(hashTree(project.cacheDir, notLogs)).toEqual(cacheBefore);
    expect(hashTree(project.artifactsDir)).toEqual(artifactsBefore);
    // The engine writes the failed instance's log under cache/logs, and that log must contain the error.
    const logs = readdirSync(join(project.cacheDir, 'logs')).map((entry) => readFileSync(join(project.cacheDir, 'logs', entry), 'utf8'));
    expect(logs.some((text) => text.includes(`${file}`) && message.test(text))).toBe(true);
  });

  test('edited file reruns ingest', () => {
    writeFiles(project, { 'edited.csv': GOOD, 'edited.yaml': pipelineYaml('edited', { file: 'edited.csv', target: { column: 'label' } }) });
    expect(runPipeline(project, 'edited.yaml').code).toBe(0);
    writeFiles(project, { 'edited.csv': GOOD.replace('5,6,y', '5,abc,y') });
    const rerun = runPipeline(project, 'edited.yaml');
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toMatch(/edited\.csv:6:2: column "b" contains "abc"/);
  });
});
