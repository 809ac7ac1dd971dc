/**
 * The study's claims on real data, through the real CLI. On Heart Disease a worse prior (a larger
 * gaussian shift) has a larger prior error and, with the MLP, gives a larger KL. At shift 0 every
 * family's reconstruction is closer to the real data than draws from the prior alone.
 * Single runs differ by a few hundredths of a nat from seed to seed (about 100 rows per class),
 * so the comparisons use means over three seeds.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KldResult } from '../../src/formats.js';
import { MIRROR_DIR } from '../helpers/datasets.js';
import { recon, root, summaryOf } from '../engine/cli-helpers.js';

const FAMILIES = ['mlp', 'xgboost', 'tree'];
const SHIFTS = [0, 1, 2];

let workDir: string;
const results = new Map<string, KldResult>();

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Mean of `field` over the three seeds of one family and shift. */
function seedMean(family: string, shift: number, field: 'klKde' | 'klPriorOnly' | 'priorError'): number {
  const values = [0, 1, 2].map((seed) => {
    const result = results.get(`heart,${family},gaussian-shift-${shift},seed=${seed}`);
    if (!result) throw new Error(`no result for ${family}, shift ${shift}, seed ${seed}`);
    return result[field];
  });
  return mean(values);
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'recon-heart-claims-'));
  cpSync(join(root, 'test', 'fixtures', 'study', 'heart-claims.yaml'), join(workDir, 'heart-claims.yaml'));
  process.env.RECON_DATA_DIR = MIRROR_DIR;
  const run = recon(workDir, 'run', 'heart-claims.yaml', '--json', '--jobs', '2', '--cache-dir', 'cache', '--artifacts-dir', 'artifacts');
  expect(run.code, run.stderr).toBe(0);
  expect(summaryOf(run).failed).toBe(0);
  const kldDir = join(workDir, 'artifacts', 'heart-claims', 'evaluate-kld');
  for (const label of readdirSync(kldDir)) {
    results.set(label, JSON.parse(readFileSync(join(kldDir, label, 'kld.json'), 'utf8')) as KldResult);
  }
}, 600_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('heart disease claims', () => {
  test('every run has a result', () => {
    expect(results.size).toBe(FAMILIES.length * SHIFTS.length * 3);
  });

  test('prior error grows with shift', () => {
    const errors = SHIFTS.map((shift) => seedMean('mlp', shift, 'priorError'));
    expect(errors[1]).toBeGreaterThan(errors[0]);
    expect(errors[2]).toBeGreaterThan(errors[1]);
  });

  test('mlp KL grows with shift', () => {
    const kl = SHIFTS.map((shift) => seedMean('mlp', shift, 'klKde'));
    expect(kl[1]).toBeGreaterThan(kl[0]);
    expect(kl[2]).toBeGreaterThan(kl[1]);
  });

  test.each(FAMILIES)('%s beats prior-only at shift 0', (family) => {
    expect(seedMean(family, 0, 'klKde')).toBeLessThan(seedMean(family, 0, 'klPriorOnly'));
  });
});
