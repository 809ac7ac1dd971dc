import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('verify', () => {
  test('one corrupt object, one record', () => {
    const dir = project('basic');
    expect(recon(dir, 'run', 'pipeline.yaml').code).toBe(0);
    const runs = join(dir, 'cache', 'runs');
    const records = readdirSync(runs).map((name) => JSON.parse(readFileSync(join(runs, name), 'utf8')) as { key: string; instanceId: string; outputs: Record<string, { hash: string }> });
    const collect = records.find((record) => record.instanceId === 'collect')!;
    const [output, { hash }] = Object.entries(collect.outputs)[0];
    const object = join(dir, 'cache', 'objects', hash.slice(0, 2), hash.slice(2));
    chmodSync(object, 0o644);
    writeFileSync(object, `${readFileSync(object, 'utf8')}x`);
    const verify = recon(dir, 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`corrupt object ${hash} (removed)`);
    expect(verify.stdout).toContain(`removed record of collect (key ${collect.key.slice(0, 12)}): object ${hash.slice(0, 12)} of output ${output} is corrupt;`);
    expect(verify.stdout).toMatch(/^verified \d+ objects: 1 corrupt, 1 record removed$/m);
    const again = recon(dir, 'verify');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: 0 corrupt, 0 records removed\n$/);
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

describe('report hook', () => {
  const stage = `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export default { kind: 'report-data', description: 'empty report data', async run(_params, _inputs, ctx) {
  const data = { results: [], correlations: [], signChecks: [], featureKl: [], marginals: [], diagnostics: [] };
  await writeFile(join(ctx.outDir, 'report-data.json'), JSON.stringify(data));
} };
`;

  test('writes the report after a run', () => {
    const dir = project('basic');
    writeFileSync(join(dir, 'stages/report-data.mjs'), stage);
    writeFileSync(join(dir, 'report.yaml'), 'name: rep\nstages:\n  summary:\n    uses: ./stages/report-data.mjs\nreport: summary\n');
    const result = recon(dir, 'run', 'report.yaml', '--json');
    expect(result.code, result.stderr).toBe(0);
    const written = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((event) => event.type === 'report-written');
    expect(written.html).toBe(join(dir, 'artifacts/rep/report.html'));
    expect(readFileSync(written.html, 'utf8')).toContain('<html');
    expect(recon(dir, 'report', 'report.yaml').stdout.trim()).toBe(join(dir, 'artifacts/rep/report.html'));
  });

  test('skips a stage without report data', () => {
    const dir = project('basic');
    writeFileSync(join(dir, 'noreport.yaml'), 'stages:\n  data:\n    uses: ./stages/make-data.mjs\n    params: { dataset: x, seed: 0 }\nreport: data\n');
    const result = recon(dir, 'run', 'noreport.yaml', '--json');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"type":"report-skipped","reason":"data wrote no report-data.json"');
  });
});
