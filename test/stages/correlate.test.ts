import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import correlate from '../../stages/correlate.js';
import { InputError } from '../../src/errors.js';
import type { KldResult, MarginalsFile, ReportData, SyntheticResult } from '../../src/formats.js';
import type { InputRef, JsonObject } from '../../src/stage-api.js';
import { runStage, type HarnessRun } from '../helpers/stage-harness.js';

async function inputRef(id: string, stage: string, coords: JsonObject, files: Record<string, unknown>): Promise<InputRef> {
  const dir = await mkdtemp(join(tmpdir(), `recon-${stage}-`));
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name], JSON.stringify(content));
  }
  return { id, stage, coords, params: {}, files: paths, metrics: {} };
}

const PRIORS: { kind: string; shift?: number }[] = [
  { kind: 'gaussian', shift: 0 },
  { kind: 'gaussian', shift: 2 },
  { kind: 'uniform' },
];
const NOISES = [0, 0.3];

/**
 * Builds one run's files with numbers that follow the theory: KL falls with prior accuracy and
 * base accuracy, and synthetic accuracy rises with base accuracy. Tree is less accurate than mlp.
 */
function fabricate(dataset: string, family: string, noise: number, prior: (typeof PRIORS)[number], seed: number): { kld: KldResult; synthetic: SyntheticResult } {
  const priorAccuracy = prior.kind === 'uniform' ? 0.4 : Math.exp(-0.1 - (prior.shift ?? 0) ** 2 / 4);
  const baseAccuracy = (family === 'mlp' ? 0.9 : 0.8) - noise / 2 + 0.01 * seed;
  const klKde = 2 - priorAccuracy - baseAccuracy + 0.013 * seed;
  const kld: KldResult = {
    klKde,
    klPerFeature: [klKde * 0.5, klKde * 1.5],
    klKnn: klKde * 1.1,
    klPriorOnly: 3 - priorAccuracy,
    klTestFloor: 0.02,
    baseAccuracy,
    priorError: -Math.log(priorAccuracy),
    priorAccuracy,
    acceptance: 0.25,
    rhatMax: 1.004,
    essMin: 300,
    sampler: 'mh',
    klKnnPriorOnly: 2.5,
    klKnnTestFloor: 0.05,
    dataset,
    family,
    labelNoise: noise,
    prior: prior.kind === 'gaussian' ? { kind: 'gaussian', shift: prior.shift ?? 0, scale: 1 } : { kind: prior.kind, shift: null, scale: null },
    warnings: seed === 1 && noise > 0 ? ['ESS 80 below 100 for class 0'] : [],
  };
  const accuracy = baseAccuracy - 0.1 + 0.002 * seed;
  const synthetic: SyntheticResult = { family, accuracy, macroF1: accuracy, confusion: [], labelNoise: 0, baseAccuracy, accuracyRatio: accuracy / baseAccuracy };
  return { kld, synthetic };
}

const marginals: MarginalsFile = {
  features: ['age', 'chol'].map((name) => ({ name, grid: [0, 1], real: [1, 1], reconstructed: [1, 1], prior: [1, 1] })),
};

function priorLabel(prior: (typeof PRIORS)[number]): string {
  return prior.kind === 'gaussian' ? `gaussian-shift-${prior.shift}` : prior.kind;
}

/** Builds runs and synthetic inputs; the synthetic list is reversed so the join cannot rely on order. */
async function fabricateInputs(datasets: string[]): Promise<{ runs: InputRef[]; synthetic: InputRef[] }> {
  const runs: InputRef[] = [];
  const synthetic: InputRef[] = [];
  for (const dataset of datasets) {
    for (const family of ['mlp', 'tree']) {
      for (const noise of NOISES) {
        for (const prior of PRIORS) {
          for (const seed of [0, 1]) {
            const coords: JsonObject = { dataset, model: family, labelNoise: noise, prior: { ...prior }, seed };
            const label = `${dataset},${family},labelNoise=${noise},${priorLabel(prior)},seed=${seed}`;
            const files = fabricate(dataset, family, noise, prior, seed);
            runs.push(await inputRef(`evaluate-kld[${label}]`, 'evaluate-kld', coords, { 'kld.json': files.kld, 'marginals.json': marginals }));
            synthetic.push(await inputRef(`train-synthetic[${label}]`, 'train-synthetic', coords, { 'synthetic.json': files.synthetic }));
          }
        }
      }
    }
  }
  return { runs: runs.reverse(), synthetic: synthetic.reverse() };
}

function csvLines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('correlate stage', () => {
  let inputs: { runs: InputRef[]; synthetic: InputRef[] };
  let run: HarnessRun;
  let results: string[];
  let correlations: string[];
  let report: ReportData;

  beforeAll(async () => {
    inputs = await fabricateInputs(['heart', 'iris']);
    run = await runStage(correlate, {}, inputs);
    results = csvLines(await readFile(join(run.outDir, 'results.csv'), 'utf8'));
    correlations = csvLines(await readFile(join(run.outDir, 'correlations.csv'), 'utf8'));
    report = JSON.parse(await readFile(join(run.outDir, 'report-data.json'), 'utf8'));
  });

  test('results header and rows', () => {
    expect(results[0]).toBe(
      'dataset,family,label_noise,prior,prior_shift,seed,sampler,base_accuracy,prior_error,prior_accuracy,kl_kde,kl_knn,kl_prior_only,kl_test_floor,synthetic_accuracy,acceptance,rhat_max,ess_min,' +
        'run_id,prior_scale,synthetic_ratio,kl_knn_prior_only,kl_knn_test_floor',
    );
    // 2 datasets x 2 families x 2 noise levels x 3 priors x 2 seeds.
    expect(results).toHaveLength(1 + 48);
    expect(report.results).toHaveLength(48);
  });

  test('rows sorted by run id', () => {
    const ids = report.results.map((row) => row.run_id);
    expect(ids).toEqual([...ids].sort());
  });

  test('join by coordinates', () => {
    for (const row of report.results) {
      // Fabricated synthetic accuracy is base accuracy - 0.1 + 0.002 seed.
      expect(row.synthetic_accuracy).toBeCloseTo(row.base_accuracy - 0.1 + 0.002 * row.seed, 12);
    }
  });

  test('uniform prior has empty shift cell', () => {
    const uniform = results.find((line) => line.startsWith('heart,mlp,0,uniform,'));
    expect(uniform).toBeDefined();
    expect(uniform!.split(',')[4]).toBe('');
  });

  test('correlations header and pooled rows', () => {
    expect(correlations[0]).toBe('dataset,family,x,y,n,pearson_r,pearson_lo,pearson_hi,spearman_rho,spearman_lo,spearman_hi');
    // Groups: per dataset (2 families + pooled) x 2 datasets + all pooled = 7; 4 pairs each.
    expect(correlations).toHaveLength(1 + 28);
    const groups = new Set(correlations.slice(1).map((line) => line.split(',').slice(0, 2).join(',')));
    expect(groups).toEqual(new Set(['heart,mlp', 'heart,tree', 'heart,all', 'iris,mlp', 'iris,tree', 'iris,all', 'all,all']));
    const pooled = report.correlations.find((row) => row.dataset === 'all' && row.x === 'prior_accuracy' && row.y === 'kl_kde');
    expect(pooled?.n).toBe(48);
    expect(pooled?.pearson_r).toBeLessThan(-0.5);
  });

  test('correlation directions', () => {
    for (const row of report.correlations.filter((candidate) => candidate.family !== 'all')) {
      if (row.x === 'base_accuracy' && row.y === 'synthetic_accuracy') expect(row.pearson_r).toBeGreaterThan(0.99);
      if (row.x === 'prior_accuracy' && row.y === 'kl_kde') expect(row.spearman_rho).toBeLessThan(0);
    }
  });

  test('sign checks agree', () => {
    // Per dataset and family, and per dataset pooled: 3 groups per dataset.
    expect(report.signChecks).toHaveLength(6);
    for (const check of report.signChecks) {
      expect(check.agrees).toBe(true);
      expect(check.klOnPriorAccuracy!.estimate).toBeLessThan(0);
      expect(check.klOnModelAccuracy!.estimate).toBeLessThan(0);
      expect(check.syntheticOnBase!.estimate).toBeGreaterThan(0);
    }
  });

  test('report sections per dataset', () => {
    expect(report.featureKl.map((section) => section.dataset)).toEqual(['heart', 'iris']);
    expect(report.featureKl[0].features).toEqual(['age', 'chol']);
    expect(report.featureKl[0].runs).toHaveLength(24);
    expect(report.marginals.map((section) => section.runId)).toEqual([
      'evaluate-kld[heart,mlp,labelNoise=0,gaussian-shift-0,seed=0]',
      'evaluate-kld[iris,mlp,labelNoise=0,gaussian-shift-0,seed=0]',
    ]);
    expect(report.diagnostics).toHaveLength(48);
    // Warnings were fabricated for seed 1 with label noise: 2 datasets x 2 families x 3 priors.
    expect(report.diagnostics.filter((entry) => entry.warnings.length > 0)).toHaveLength(12);
  });

  test('showRun picks the run', async () => {
    const chosen = await runStage(correlate, { showRun: 'tree,labelNoise=0.3,uniform,seed=1' }, inputs);
    const data: ReportData = JSON.parse(await readFile(join(chosen.outDir, 'report-data.json'), 'utf8'));
    expect(data.marginals[0].runId).toBe('evaluate-kld[heart,tree,labelNoise=0.3,uniform,seed=1]');
  });

  test('same seed is byte-identical', async () => {
    const again = await runStage(correlate, {}, { runs: [...inputs.runs].reverse(), synthetic: inputs.synthetic });
    for (const name of ['results.csv', 'correlations.csv', 'report-data.json']) {
      expect(await readFile(join(again.outDir, name), 'utf8')).toBe(await readFile(join(run.outDir, name), 'utf8'));
    }
  });

  test('unknown showRun raises', async () => {
    await expect(runStage(correlate, { showRun: 'no-such-run' }, inputs)).rejects.toThrow(InputError);
    await expect(runStage(correlate, { showRun: 'no-such-run' }, inputs)).rejects.toThrow(/showRun "no-such-run"/);
  });

  test('missing synthetic raises', async () => {
    const partial = { runs: inputs.runs, synthetic: inputs.synthetic.slice(1) };
    await expect(runStage(correlate, {}, partial)).rejects.toThrow(InputError);
    await expect(runStage(correlate, {}, partial)).rejects.toThrow(/No train-synthetic instance matches/);
  });

  test('no runs raises', async () => {
    await expect(runStage(correlate, {}, { runs: [], synthetic: [] })).rejects.toThrow(/no evaluate-kld instances/);
  });
});

describe('correlate small groups', () => {
  test('too few runs give empty cells', async () => {
    const inputs = await fabricateInputs(['heart']);
    const few = { runs: inputs.runs.slice(0, 2), synthetic: inputs.synthetic };
    const run = await runStage(correlate, {}, few);
    const lines = csvLines(await readFile(join(run.outDir, 'correlations.csv'), 'utf8'));
    // Two runs of one family: n = 2 < 3, so every coefficient cell is empty.
    for (const line of lines.slice(1)) expect(line.split(',').slice(4)).toEqual(['2', '', '', '', '', '', '']);
    const data: ReportData = JSON.parse(await readFile(join(run.outDir, 'report-data.json'), 'utf8'));
    expect(data.signChecks.every((check) => check.agrees === null)).toBe(true);
  });

  test('missing marginals use feature numbers', async () => {
    const inputs = await fabricateInputs(['heart']);
    const withoutMarginals = inputs.runs.map((ref) => {
      const files = { ...ref.files };
      delete files['marginals.json'];
      return { ...ref, files };
    });
    const run = await runStage(correlate, {}, { runs: withoutMarginals, synthetic: inputs.synthetic });
    const data: ReportData = JSON.parse(await readFile(join(run.outDir, 'report-data.json'), 'utf8'));
    expect(data.marginals).toEqual([]);
    expect(data.featureKl[0].features).toEqual(['feature 1', 'feature 2']);
  });
});
