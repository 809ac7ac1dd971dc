import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { project, recon, summaryOf } from './cli-helpers.js';

describe('gc', () => {
  test('removes records of replaced runs', () => {
    const dir = project('basic');
    recon(dir, 'run', 'pipeline.yaml');
    const path = join(dir, 'pipeline.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('factor: 2', 'factor: 3'));
    recon(dir, 'run', 'pipeline.yaml');
    // The first run's 8 fit records are garbage, and so are its collect and count records,
    // because their inputs changed.
    const dry = recon(dir, 'gc', 'pipeline.yaml', '--dry-run', '--json');
    const planned = JSON.parse(dry.stdout) as { records: string[]; objects: string[] };
    expect(planned.records).toHaveLength(10);
    expect(recon(dir, 'gc', 'pipeline.yaml').code).toBe(0);
    const again = JSON.parse(recon(dir, 'gc', 'pipeline.yaml', '--dry-run', '--json').stdout) as { records: string[]; objects: string[] };
    expect(again.records).toEqual([]);
    expect(again.objects).toEqual([]);
    expect(summaryOf(recon(dir, 'run', 'pipeline.yaml', '--json')).executed).toBe(0);
    expect(recon(dir, 'verify').code).toBe(0);
  });
});

describe('dag', () => {
  test('mermaid lists stages and edges', () => {
    const result = recon(project('basic'), 'dag', 'pipeline.yaml');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('s_fit["fit<br/>./stages/fit.mjs x8"]');
    expect(result.stdout).toContain('s_fit -->|fits [*]| s_collect');
  });

  test('dot format', () => {
    const result = recon(project('basic'), 'dag', 'pipeline.yaml', '--format', 'dot');
    expect(result.stdout.startsWith('digraph pipeline {')).toBe(true);
    expect(result.stdout).toContain('s_data -> s_fit [label="data"];');
  });

  test('unknown format is a usage error', () => {
    expect(recon(project('basic'), 'dag', 'pipeline.yaml', '--format', 'png').code).toBe(2);
  });
});
