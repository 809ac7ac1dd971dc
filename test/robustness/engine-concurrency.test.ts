/**
 * Several processes on one cache: a second run, `gc` and `verify` during a run, stale and damaged
 * lock files, and two runs racing to take over the same stale lock.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { copyProject, exited, recon, setRound, startRecon, summaryOf, waitForOutput, type CliResult } from '../fixtures/robustness/pipelines/harness.js';

const INSTANCES = 11;

/** Makes every gen instance take `ms`, so a run stays busy while other commands start. */
function slowGen(dir: string, ms: number): void {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace("params: { round: '${vars.round}' }", `params: { round: '\${vars.round}', delayMs: ${ms} }`));
}

/** Returns the pid of a process that has exited, so no live process owns it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function expectVerifyClean(dir: string): void {
  const verify = recon(dir, 'verify');
  expect(verify.stdout).toMatch(/: 0 corrupt, 0 records removed\n$/);
  expect(verify.code).toBe(0);
}

function expectNoCrash(result: CliResult): void {
  expect(result.stderr).not.toContain('Internal error');
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

const lockPath = (dir: string): string => join(dir, 'cache', 'lock');

describe('two processes on one cache', () => {
  test('second run exits 2 naming the holder', async () => {
    const dir = copyProject('work');
    slowGen(dir, 400);
    const first = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '1');
    await waitForOutput(first, 'run    gen[');
    const second = recon(dir, 'run', 'pipeline.yaml');
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is locked by pid ${first.pid} on ${hostname()} (recon run pipeline.yaml, since `);
    expect(second.stderr).toContain('hint: wait for that run to finish, or pass --wait SECONDS');
    expect(await exited(first)).toBe(0);
    expectVerifyClean(dir);
  });

  test('second run waits with --wait', async () => {
    const dir = copyProject('work');
    slowGen(dir, 200);
    const first = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '1');
    await waitForOutput(first, 'run    gen[');
    const second = recon(dir, 'run', 'pipeline.yaml', '--wait', '60', '--json');
    expect(await exited(first)).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`"type":"lock-wait","holder":{"pid":${first.pid}`);
    expect(summaryOf(second).cached).toBe(INSTANCES);
  });

  test('gc during a run exits 2', async () => {
    const dir = copyProject('work');
    slowGen(dir, 300);
    const first = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '1');
    await waitForOutput(first, 'run    gen[');
    const gc = recon(dir, 'gc', 'pipeline.yaml');
    expect(gc.code).toBe(2);
    expect(gc.stderr).toContain(`is locked by pid ${first.pid}`);
    const verify = recon(dir, 'verify');
    expect(verify.code).toBe(2);
    expect(await exited(first)).toBe(0);
    expectVerifyClean(dir);
  });

  test('gc --wait keeps what the run wrote', async () => {
    const dir = copyProject('work');
    expect(recon(dir, 'run', 'pipeline.yaml').code).toBe(0);
    setRound(dir, 1);
    slowGen(dir, 300);
    const first = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '1');
    await waitForOutput(first, 'run    gen[');
    // gc starts while round 1 has no records yet, and must still keep them.
    const gc = recon(dir, 'gc', 'pipeline.yaml', '--wait', '60', '--json');
    expect(await exited(first)).toBe(0);
    expect(gc.code, gc.stderr).toBe(0);
    const removed = JSON.parse(gc.stdout.trim().split('\n').pop()!) as { records: string[] };
    expect(removed.records.length).toBe(INSTANCES);
    const rerun = recon(dir, 'run', 'pipeline.yaml', '--json');
    expect(summaryOf(rerun).cached).toBe(INSTANCES);
    expectVerifyClean(dir);
  });
});

describe('lock files', () => {
  const holder = (pid: number, host = hostname()): string => JSON.stringify({ pid, hostname: host, command: 'recon run old.yaml', startedAt: '2020-01-01T00:00:00.000Z' });

  test('stale lock of a dead process', () => {
    const dir = copyProject('work');
    const pid = deadPid();
    mkdirSync(join(dir, 'cache'));
    writeFileSync(lockPath(dir), holder(pid));
    const result = recon(dir, 'run', 'pipeline.yaml');
    expectNoCrash(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`took over a stale cache lock of pid ${pid} (recon run old.yaml, since 2020-01-01T00:00:00.000Z); that process is gone`);
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  for (const [name, text] of [['empty', ''], ['garbage', '{"pid": 1'], ['null', 'null'], ['pid not a number', '{"pid":"x","hostname":"h"}']] as const) {
    test(`lock file ${name}`, () => {
      const dir = copyProject('work');
      recon(dir, 'run', 'pipeline.yaml', '--only', 'gen');
      writeFileSync(lockPath(dir), text);
      const result = recon(dir, 'run', 'pipeline.yaml');
      expectNoCrash(result);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('took over a stale cache lock of pid 0 (unknown: the lock file is empty or damaged, since unknown)');
    });
  }

  test('live holder on another host', () => {
    const dir = copyProject('work');
    recon(dir, 'run', 'pipeline.yaml', '--only', 'gen');
    writeFileSync(lockPath(dir), holder(deadPid(), 'elsewhere.example'));
    const result = recon(dir, 'run', 'pipeline.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is locked by pid');
    expect(result.stderr).toContain('on elsewhere.example (recon run old.yaml');
  });

  test('live holder on this host', () => {
    const dir = copyProject('work');
    recon(dir, 'run', 'pipeline.yaml', '--only', 'gen');
    writeFileSync(lockPath(dir), holder(process.pid));
    const result = recon(dir, 'verify');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`is locked by pid ${process.pid} on ${hostname()}`);
    expect(readFileSync(lockPath(dir), 'utf8')).toBe(holder(process.pid));
  });

  test('two runs race for a stale lock', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const dir = copyProject('work');
      mkdirSync(join(dir, 'cache'));
      writeFileSync(lockPath(dir), holder(deadPid()));
      const runs = [0, 1].map(() => startRecon(dir, 'run', 'pipeline.yaml', '--wait', '60', '--json'));
      const outputs = runs.map((child) => {
        let text = '';
        child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
        return () => text;
      });
      expect(await Promise.all(runs.map(exited))).toEqual([0, 0]);
      // Holding the lock one after the other, the second run finds everything up to date.
      const executed = outputs.map((text) => summaryOf({ code: 0, stdout: text(), stderr: '' }).executed);
      expect(executed.sort()).toEqual([0, INSTANCES]);
      expectVerifyClean(dir);
    }
  });
});
