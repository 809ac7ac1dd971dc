/**
 * What `recon run` prints and leaves behind around the stages: the order of --json lines, JSON
 * errors, the report after a partial failure, interrupted instances, the artifacts manifest and
 * the download directory.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bin, project, recon, startRecon, summaryOf, type CliResult } from './cli-helpers.js';

function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

function jsonLines(result: CliResult): Array<Record<string, unknown>> {
  return result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const REPORT_STAGE = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export default { kind: 'report-data', description: 'empty report data', inputs: { upstream: { description: 'any' } },
  async run(_params, _inputs, ctx) {
    const data = { results: [], correlations: [], signChecks: [], featureKl: [], marginals: [], diagnostics: [] };
    await writeFile(join(ctx.outDir, 'report-data.json'), JSON.stringify(data));
  } };
`;

const FLAKY_STAGE = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export default { kind: 'flaky', description: 'fails on request',
  params: { fail: { type: 'boolean', description: 'fail', default: false }, tag: { type: 'string', description: 'tag', default: 'x' } },
  async run(params, _inputs, ctx) {
    if (params.fail) throw new Error('flaky failed on purpose');
    await writeFile(join(ctx.outDir, 'tag.txt'), params.tag);
  } };
`;

/** A report stage fed by `feeder`, beside an unrelated `other` stage. */
function reportProject(): string {
  const dir = project('basic');
  writeFileSync(join(dir, 'stages/report-data.mjs'), REPORT_STAGE);
  writeFileSync(join(dir, 'stages/flaky.mjs'), FLAKY_STAGE);
  const yaml = [
    'name: rep',
    'stages:',
    '  feeder: { uses: ./stages/flaky.mjs, params: { fail: false, tag: feeder } }',
    '  other: { uses: ./stages/flaky.mjs, params: { fail: false, tag: other } }',
    '  summary: { uses: ./stages/report-data.mjs, inputs: { upstream: feeder } }',
    'report: summary',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'report.yaml'), yaml);
  return dir;
}

describe('run --json', () => {
  test('summary is last after a report', () => {
    const dir = reportProject();
    const result = recon(dir, 'run', 'report.yaml', '--json');
    expect(result.code, result.stderr).toBe(0);
    const types = jsonLines(result).map((line) => line.type);
    expect(types).toContain('report-written');
    expect(types[types.length - 1]).toBe('summary');
    expect(types.indexOf('report-written')).toBe(types.length - 2);
  });

  test('held lock prints a JSON error', () => {
    const dir = project('basic');
    const holder = { pid: 1, hostname: 'recon-test-other-host', command: 'recon run other.yaml', startedAt: '2025-01-01T00:00:00.000Z' };
    const cache = join(dir, 'held');
    mkdirSync(cache);
    writeFileSync(join(cache, 'lock'), JSON.stringify(holder));
    const result = recon(dir, 'run', 'pipeline.yaml', '--json', '--cache-dir', cache);
    expect(result.code).toBe(2);
    const lines = jsonLines(result);
    const last = lines[lines.length - 1];
    expect(last.type).toBe('error');
    expect(last.exitCode).toBe(2);
    expect(String(last.message)).toContain('is locked by pid 1 on recon-test-other-host');
    expect(String(last.hint)).toContain('--wait');
    expect(result.stderr).toContain('is locked by pid 1');
  });

  test('validation failure prints a JSON error', () => {
    const dir = project('basic');
    edit(dir, 'pipeline.yaml', 'inputs: { data: data }', 'inputs: { data: dta }');
    const result = recon(dir, 'run', 'pipeline.yaml', '--json');
    expect(result.code).toBe(2);
    const lines = jsonLines(result);
    expect(lines).toHaveLength(1);
    const error = lines[0] as { type: string; message: string; exitCode: number; hint?: string; location: { file: string; line: number; column: number } };
    expect(error.type).toBe('error');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('dta');
    expect(error.location.file).toContain('pipeline.yaml');
    expect(error.location.line).toBe(13);
    expect(result.stderr).toContain('nothing was run');
  });
});

describe('report after failures', () => {
  test('unrelated failure still writes it', () => {
    const dir = reportProject();
    expect(recon(dir, 'run', 'report.yaml').code).toBe(0);
    edit(dir, 'report.yaml', 'fail: false, tag: other', 'fail: true, tag: other');
    const result = recon(dir, 'run', 'report.yaml', '--json');
    expect(result.code).toBe(1);
    const written = jsonLines(result).find((line) => line.type === 'report-written');
    expect(written?.html).toBe(join(dir, 'artifacts/rep/report.html'));
    const html = readFileSync(join(dir, 'artifacts/rep/report.html'), 'utf8');
    expect(html).toContain('1 stage instance failed in this run');
    expect(summaryOf(result).failed).toBe(1);
  });

  test('failed report stage keeps the old one', () => {
    const dir = reportProject();
    expect(recon(dir, 'run', 'report.yaml').code).toBe(0);
    const before = readFileSync(join(dir, 'artifacts/rep/report.html'), 'utf8');
    edit(dir, 'report.yaml', 'fail: false, tag: feeder', 'fail: true, tag: feeder');
    const result = recon(dir, 'run', 'report.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('report skipped: stage summary was skipped because an input failed');
    expect(readFileSync(join(dir, 'artifacts/rep/report.html'), 'utf8')).toBe(before);
  });
});

/** Resolves once stdout contains an event that starts with `prefix` after its type key. */
function waitForEvent(child: ChildProcess, prefix: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(`"type":"${prefix}`)) resolvePromise();
    });
    child.on('exit', () => reject(new Error(`exited before ${prefix}:\n${seen}`)));
  });
}

function collect(child: ChildProcess): Promise<{ code: number | null; stdout: string }> {
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolvePromise) => child.on('exit', (code) => resolvePromise({ code, stdout })));
}

describe('interrupt', () => {
  test('running instances count as interrupted', async () => {
    const dir = project('basic');
    edit(dir, 'pipeline.yaml', 'factor: 2', 'factor: 2, delayMs: 20000');
    const child = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '2', '--json');
    const outcome = collect(child);
    await waitForEvent(child, 'instance-start","id":"fit[');
    child.kill('SIGINT');
    const { code, stdout } = await outcome;
    expect(code).toBe(130);
    const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; id?: string });
    // Interrupted = started and not done, whatever the stage: a data instance may still be running
    // when the signal arrives, depending on the machine's load.
    const done = new Set(lines.filter((line) => line.type === 'instance-done').map((line) => line.id));
    const started = lines.filter((line) => line.type === 'instance-start' && !done.has(line.id)).map((line) => line.id);
    expect(started.some((id) => id!.startsWith('fit['))).toBe(true);
    const summary = lines[lines.length - 1] as unknown as { type: string; failed: number; interruptedInstances: number; instances: { interrupted: string[]; failed: string[] } };
    expect(summary.type).toBe('summary');
    expect(summary.failed).toBe(0);
    expect(summary.instances.failed).toEqual([]);
    expect([...summary.instances.interrupted].sort()).toEqual([...started].sort());
    expect(summary.interruptedInstances).toBe(started.length);
    expect(lines.filter((line) => line.type === 'instance-failed')).toEqual([]);
  });
});

describe('artifacts manifest', () => {
  test('same bytes at --jobs 1 and 2', () => {
    const one = project('basic');
    const two = project('basic');
    expect(recon(one, 'run', 'pipeline.yaml', '--jobs', '1').code).toBe(0);
    expect(recon(two, 'run', 'pipeline.yaml', '--jobs', '2').code).toBe(0);
    const manifest = (dir: string): string => readFileSync(join(dir, 'artifacts/basic/.recon-artifacts.json'), 'utf8');
    const slots = Object.keys(JSON.parse(manifest(one)) as object);
    expect(slots).toHaveLength(14);
    expect(slots).toEqual([...slots].sort());
    expect(manifest(two)).toBe(manifest(one));
  });
});

const ENV_STAGE = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export default { kind: 'env', description: 'writes RECON_DOWNLOAD_DIR',
  async run(_params, _inputs, ctx) {
    await writeFile(join(ctx.outDir, 'dir.txt'), String(process.env.RECON_DOWNLOAD_DIR));
  } };
`;

describe('download directory', () => {
  function envProject(): string {
    const dir = project('basic');
    writeFileSync(join(dir, 'stages/env.mjs'), ENV_STAGE);
    writeFileSync(join(dir, 'env.yaml'), 'name: env\nstages:\n  probe: { uses: ./stages/env.mjs, publish: true }\n');
    return dir;
  }

  function runWith(dir: string, downloadDir: string | undefined, ...args: string[]): CliResult {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
    delete env.RECON_CACHE_DIR;
    delete env.RECON_DOWNLOAD_DIR;
    if (downloadDir !== undefined) env.RECON_DOWNLOAD_DIR = downloadDir;
    const result = spawnSync(process.execPath, [bin, 'run', 'env.yaml', ...args], { cwd: dir, env, encoding: 'utf8' });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  test('follows --cache-dir', () => {
    const dir = envProject();
    const result = runWith(dir, undefined, '--cache-dir', 'elsewhere/c');
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'artifacts/env/dir.txt'), 'utf8')).toBe(resolve(dir, 'elsewhere/c/downloads'));
  });

  test('keeps RECON_DOWNLOAD_DIR when set', () => {
    const dir = envProject();
    const result = runWith(dir, '/tmp/recon-test-downloads', '--cache-dir', 'elsewhere/c');
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'artifacts/env/dir.txt'), 'utf8')).toBe('/tmp/recon-test-downloads');
  });
});
