import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { hashTree, project, recon, summaryOf } from './cli-helpers.js';

const FITS = ['alpha,small,seed=0', 'alpha,small,seed=1', 'alpha,large,seed=0', 'alpha,large,seed=1', 'beta,small,seed=0', 'beta,small,seed=1', 'beta,large,seed=0', 'beta,large,seed=1'].map((label) => `fit[${label}]`);

function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

describe('run', () => {
  test('first run executes every instance', () => {
    const dir = project('basic');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json'));
    expect(summary.executed).toBe(14);
    expect(summary.instances.executed.slice(0, 4)).toEqual(['data[alpha,seed=0]', 'data[alpha,seed=1]', 'data[beta,seed=0]', 'data[beta,seed=1]']);
    expect(summary.instances.executed.slice(4, 12)).toEqual(FITS);
    const table = readFileSync(join(dir, 'artifacts/basic/table.csv'), 'utf8').trim().split('\n');
    expect(table).toHaveLength(9);
    expect(readFileSync(join(dir, 'artifacts/basic/count/count.txt'), 'utf8').trim()).toBe('9');
  });

  test('second run executes nothing', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml', '--json');
    const result = recon(dir, 'run', 'pipeline.yaml', '--json');
    const summary = summaryOf(result);
    expect(result.code).toBe(0);
    expect(summary.executed).toBe(0);
    expect(summary.cached).toBe(14);
  });

  test('param change reruns downstream only', () => {
    const dir = project('basic');
    const text = readFileSync(join(dir, 'pipeline.yaml'), 'utf8').replace('factor: 2', "factor: '${vars.factors[model]}'");
    writeFileSync(join(dir, 'pipeline.yaml'), `vars:\n  factors: { small: 2, large: 2 }\n${text}`);
    recon(dir, 'run', 'pipeline.yaml', '--json');
    edit(dir, 'pipeline.yaml', 'large: 2', 'large: 5');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json'));
    expect(summary.instances.executed).toEqual(['fit[alpha,large,seed=0]', 'fit[alpha,large,seed=1]', 'fit[beta,large,seed=0]', 'fit[beta,large,seed=1]', 'collect', 'count']);
    expect(summary.cached).toBe(8);
  });

  test('unchanged outputs stop propagation', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml', '--json');
    // The shell command changes but writes the same count, so nothing downstream of it reruns.
    edit(dir, 'pipeline.yaml', 'wc -l <', 'wc -l  <');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json'));
    expect(summary.instances.executed).toEqual(['count']);
  });

  test('editing an imported module reruns its stage', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml', '--json');
    appendFileSync(join(dir, 'stages/shared.mjs'), '// an edit that changes no behaviour\n');
    const result = recon(dir, 'status', 'pipeline.yaml');
    expect(result.stdout).toContain('stale data[alpha,seed=0]: stage code changed');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json'));
    expect(summary.instances.executed).toEqual(['data[alpha,seed=0]', 'data[alpha,seed=1]', 'data[beta,seed=0]', 'data[beta,seed=1]']);
  });

  test('editing a stage module reruns it', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml', '--json');
    edit(dir, 'stages/collect.mjs', '`id,sum', '`id,total');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json'));
    expect(summary.instances.executed).toEqual(['collect', 'count']);
  });

  test('same artifacts at jobs 1 and 4', () => {
    const one = project('basic');
    const four = project('basic');
    expect(recon(one, 'run', 'pipeline.yaml', '--jobs', '1').code).toBe(0);
    expect(recon(four, 'run', 'pipeline.yaml', '--jobs', '4').code).toBe(0);
    const hashes = hashTree(join(one, 'artifacts'));
    expect(Object.keys(hashes)).toHaveLength(15);
    expect(hashTree(join(four, 'artifacts'))).toEqual(hashes);
  });

  test('dry run gives one reason per instance', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml');
    edit(dir, 'pipeline.yaml', 'factor: 2', 'factor: 3');
    const result = recon(dir, 'run', 'pipeline.yaml', '--dry-run');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain('run    fit[beta,large,seed=1]: params.factor 2 -> 3');
    expect(lines).toContain('cached data[beta,seed=1]: up to date');
    expect(lines).toContain('run    count: input table will be recomputed (collect)');
    expect(lines[lines.length - 1]).toBe('10 to run, 4 up to date');
  });

  test('force reruns a stage', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json', '--force', 'collect'));
    // collect writes the same table again, so count stays cached.
    expect(summary.instances.executed).toEqual(['collect']);
  });

  test('only runs a stage and what it needs', () => {
    const dir = project('basic');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json', '--only', 'data'));
    expect(summary.executed).toBe(4);
    const unknown = recon(dir, 'run', 'pipeline.yaml', '--only', 'dat');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('hint: use "data" (closest match)');
  });

  test('failure skips dependents', () => {
    const dir = project('basic');
    edit(dir, 'pipeline.yaml', 'factor: 2', 'factor: 2, fail: true');
    const result = recon(dir, 'run', 'pipeline.yaml', '--json', '--jobs', '1');
    const summary = summaryOf(result);
    expect(result.code).toBe(1);
    expect(summary.failed).toBe(1);
    expect(summary.instances.failed).toEqual(['fit[alpha,small,seed=0]']);
    expect(summary.instances.skipped).toContain('collect');
    const failure = result.stdout.split('\n').map((line) => (line ? JSON.parse(line) : {})).find((event) => event.type === 'instance-failed');
    expect(failure.error.message).toBe('fit failed on purpose');
    expect(readFileSync(failure.logPath, 'utf8')).toContain('fit failed on purpose');
  });

  test('keep-going finishes independent branches', () => {
    const dir = project('basic');
    edit(dir, 'pipeline.yaml', 'factor: 2', 'factor: 2, fail: true');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json', '--jobs', '1', '--keep-going'));
    expect(summary.executed).toBe(4);
    expect(summary.failed).toBe(8);
    expect(summary.instances.skipped).toEqual(['collect', 'count']);
  });
});

describe('stage errors', () => {
  test('InputError in a worker exits 2', () => {
    const dir = project('basic');
    const errors = join(inject('reconRoot'), 'dist/src/errors.js');
    writeFileSync(
      join(dir, 'stages/reject.mjs'),
      `import { InputError } from ${JSON.stringify(errors)};\nexport default { kind: 'reject', description: 'rejects its input', params: {}, inputs: {}, async run() { throw new InputError('column "age" is not numeric', { hint: 'add encode: or drop:' }); } };\n`,
    );
    writeFileSync(join(dir, 'reject.yaml'), 'stages:\n  check:\n    uses: ./stages/reject.mjs\n');
    const result = recon(dir, 'run', 'reject.yaml', '--json');
    expect(result.code).toBe(2);
    const failure = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((event) => event.type === 'instance-failed');
    expect(failure.error.name).toBe('InputError');
    expect(failure.error.hint).toBe('add encode: or drop:');
  });

  test('plain error in a worker exits 1', () => {
    const dir = project('basic');
    writeFileSync(join(dir, 'stages/crash.mjs'), "export default { kind: 'crash', description: 'throws', async run() { throw new TypeError('boom'); } };\n");
    writeFileSync(join(dir, 'crash.yaml'), 'stages:\n  c:\n    uses: ./stages/crash.mjs\n');
    const result = recon(dir, 'run', 'crash.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAILED c: TypeError: boom');
  });
});
