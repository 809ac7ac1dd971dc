/**
 * SIGKILL at seeded random moments of real runs. After every kill the next run must complete and
 * leave artifacts identical to an uninterrupted run of the same configuration, and at the end
 * `recon verify` must find nothing to repair.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { copyProject, exited, hashTree, mulberry32, recon, setRound, startRecon, summaryOf } from '../fixtures/robustness/pipelines/harness.js';

// Kills that must land on a live run. A kill after the run has finished does not count, so the
// loop goes on, up to MAX_ATTEMPTS, until enough have landed whatever the machine's load.
const KILLS = 20;
const MAX_ATTEMPTS = 60;
const ROUNDS = 3;
const INSTANCES = 11;
const STAGES = ['gen', 'fold', 'merge', 'count'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill anywhere', () => {
  test('seeded SIGKILL loop', async () => {
    // Uninterrupted runs give the expected artifacts of each round and the length of a run.
    const clean = copyProject('work');
    const expected: Record<string, string>[] = [];
    let longestMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      setRound(clean, round);
      const started = Date.now();
      const result = recon(clean, 'run', 'pipeline.yaml', '--jobs', '2', '--json');
      longestMs = Math.max(longestMs, Date.now() - started);
      expect(result.code, result.stderr).toBe(0);
      expect(summaryOf(result).executed).toBe(INSTANCES);
      expected.push(hashTree(join(clean, 'artifacts')));
    }

    const dir = copyProject('work');
    const random = mulberry32(20251204);
    let landed = 0;
    for (let i = 0; landed < KILLS && i < MAX_ATTEMPTS; i++) {
      const round = i % ROUNDS;
      setRound(dir, round);
      // Forcing a random subset of stages makes cached rounds write objects and records again.
      const forced = STAGES.filter(() => random() < 0.5).flatMap((stage) => ['--force', stage]);
      const child = startRecon(dir, 'run', 'pipeline.yaml', '--jobs', '2', ...forced);
      await sleep(longestMs * (0.15 + 0.7 * random()));
      if (child.exitCode === null) landed++;
      child.kill('SIGKILL');
      await exited(child);

      const rerun = recon(dir, 'run', 'pipeline.yaml', '--jobs', '2', '--json');
      expect(rerun.code, `kill ${i}: ${rerun.stderr}`).toBe(0);
      const summary = summaryOf(rerun);
      expect(summary.failed, `kill ${i}`).toBe(0);
      expect(summary.executed + summary.cached, `kill ${i}`).toBe(INSTANCES);
      expect(hashTree(join(dir, 'artifacts')), `kill ${i}, round ${round}`).toEqual(expected[round]);
    }
    expect(landed).toBeGreaterThanOrEqual(KILLS);

    const verify = recon(dir, 'verify');
    expect(verify.stdout).toMatch(/: 0 corrupt, 0 records removed/);
    expect(verify.code, verify.stdout).toBe(0);
    // After verify dropped the record index, a run still finds everything up to date.
    const noop = summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json'));
    expect(noop.cached).toBe(INSTANCES);
  }, 180_000);
});
