import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { hashTree, project, recon, startRecon, summaryOf } from './cli-helpers.js';

/** Makes every fit instance sleep, so a run can be caught in the middle of a stage. */
function slow(dir: string, delayMs: number): void {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('factor: 2', `factor: 2, delayMs: ${delayMs}`));
}

/** Resolves once the child's stderr or stdout contains `text`. */
function waitFor(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.on('exit', () => reject(new Error(`exited before printing ${text}:\n${seen}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.on('exit', (code) => resolve(code)));

describe('crash safety', () => {
  test('rerun after SIGKILL matches a clean run', async () => {
    const clean = project('basic');
    const killed = project('basic');
    slow(clean, 300);
    slow(killed, 300);
    expect(recon(clean, 'run', 'pipeline.yaml', '--jobs', '2').code).toBe(0);
    const child = startRecon(killed, 'run', 'pipeline.yaml', '--jobs', '2');
    await waitFor(child, 'run    fit[alpha,large,seed=0]');
    child.kill('SIGKILL');
    await exited(child);
    expect(existsSync(join(killed, 'cache/lock'))).toBe(true);
    const rerun = recon(killed, 'run', 'pipeline.yaml', '--json');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('"type":"lock-taken-over"');
    const summary = summaryOf(rerun);
    expect(summary.cached).toBeGreaterThanOrEqual(4);
    expect(summary.executed).toBeGreaterThan(0);
    expect(hashTree(join(killed, 'artifacts'))).toEqual(hashTree(join(clean, 'artifacts')));
    expect(recon(killed, 'verify').code).toBe(0);
  });

  test('SIGINT stops the run with exit 130', async () => {
    const dir = project('basic');
    slow(dir, 2000);
    const child = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '1');
    await waitFor(child, 'run    fit[');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    expect(existsSync(join(dir, 'cache/lock'))).toBe(false);
    const tmp = join(dir, 'cache/tmp');
    expect(existsSync(tmp) ? hashTree(tmp) : {}).toEqual({});
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json', '--jobs', '8'));
    expect(summary.failed).toBe(0);
    expect(summary.executed + summary.cached).toBe(14);
  });

  test('verify finds a flipped byte and the run recomputes it', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml');
    const heads = JSON.parse(readFileSync(join(dir, 'cache/heads/basic.json'), 'utf8')) as Record<string, string>;
    const record = JSON.parse(readFileSync(join(dir, 'cache/runs', `${heads['data[beta,seed=1]']}.json`), 'utf8'));
    const hash: string = record.outputs['data.json'].hash;
    const object = join(dir, 'cache/objects', hash.slice(0, 2), hash.slice(2));
    chmodSync(object, 0o644);
    const bytes = readFileSync(object);
    bytes[5] ^= 0x01;
    writeFileSync(object, bytes);
    const verify = recon(dir, 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`corrupt object ${hash} (removed)`);
    expect(verify.stdout).toContain('removed record of data[beta,seed=1]');
    const summary = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json'));
    expect(summary.instances.executed).toEqual(['data[beta,seed=1]']);
    expect(recon(dir, 'verify').code).toBe(0);
  });

  test('second concurrent run exits 2 naming the holder', async () => {
    const dir = project('basic');
    slow(dir, 400);
    const first = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '1');
    await waitFor(first, 'run    ');
    const second = recon(dir, 'run', 'pipeline.yaml');
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is locked by pid ${first.pid} on`);
    expect(second.stderr).toContain('hint: wait for that run to finish, or pass --wait SECONDS');
    expect(await exited(first)).toBe(0);
    const verify = recon(dir, 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('0 corrupt, 0 records removed');
  });
});
