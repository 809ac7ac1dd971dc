import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import evaluateKld from '../../stages/evaluate-kld.js';
import type { DatasetFile, KldResult, MarginalsFile, ModelMetrics, PriorFile, SamplerDiagnostics, SamplesFile } from '../../src/formats.js';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import type { InputRef, JsonObject } from '../../src/stage-api.js';
import { runStage, type HarnessRun } from '../helpers/stage-harness.js';

/** Class c rows are N((2c, -c), I) in standardized units; labels alternate 0, 1. */
function labelledRows(rng: Rng, n: number): { x: number[]; y: number[]; n: number } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    x.push(2 * label + rng.normal(), -label + rng.normal());
    y.push(label);
  }
  return { x, y, n };
}

async function inputRef(stage: string, files: Record<string, unknown>, coords: JsonObject = {}): Promise<InputRef> {
  const dir = await mkdtemp(join(tmpdir(), `recon-${stage}-`));
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name], JSON.stringify(content));
  }
  return { id: `${stage}[test]`, stage, coords, params: {}, files: paths, metrics: {} };
}

const rng = Rng.from('evaluate-kld-fixture');
const dataset: DatasetFile = {
  name: 'toy',
  features: ['height', 'weight'],
  classes: ['a', 'b'],
  train: labelledRows(rng, 400),
  test: labelledRows(rng, 160),
  scaler: { mean: [170, 70], std: [10, 5] },
  summary: { source: 'test', sha256: '', rowsRead: 560, rules: [], droppedColumns: [], classCounts: { train: [200, 200], test: [80, 80] }, featureStats: [] },
};
const reconstruction = labelledRows(rng, 400);
const samples: SamplesFile = { sampler: 'mh', x: reconstruction.x, y: reconstruction.y, n: 400, d: 2 };
const diagnostics: SamplerDiagnostics = {
  sampler: 'mh',
  acceptance: [0.2, 0.3],
  modelRows: 1,
  modelCalls: 1,
  rhat: [[1.001, 1.02], [1.005, 1.0]],
  ess: [[350, 410], [120, 900]],
  stepSize: [0.5, 0.5],
  warnings: ['R-hat 1.02 above 1.01 for class a, feature weight'],
};
const prior: PriorFile = {
  kind: 'gaussian',
  config: { kind: 'gaussian', shift: 3 },
  features: [{ kind: 'gaussian', mean: 3, sd: 1 }, { kind: 'gaussian', mean: -3, sd: 1 }],
  priorError: 1.5,
  priorAccuracy: Math.exp(-1.5),
  perFeatureError: [1.5, 1.5],
};
const metrics: ModelMetrics = { family: 'tree', accuracy: 0.81, macroF1: 0.8, confusion: [], labelNoise: 0.2 };

describe('evaluate-kld stage', () => {
  let run: HarnessRun;
  let kld: KldResult;
  let marginals: MarginalsFile;

  beforeAll(async () => {
    const inputs = {
      data: await inputRef('ingest', { 'dataset.json': dataset }),
      samples: await inputRef('sample', { 'samples.json': samples, 'diagnostics.json': diagnostics }),
      prior: await inputRef('choose-prior', { 'prior.json': prior }),
      model: await inputRef('train-base', { 'metrics.json': metrics }),
    };
    run = await runStage(evaluateKld, { seed: 0 }, inputs);
    kld = JSON.parse(await readFile(join(run.outDir, 'kld.json'), 'utf8'));
    marginals = JSON.parse(await readFile(join(run.outDir, 'marginals.json'), 'utf8'));
  });

  test('good reconstruction beats prior', () => {
    // The reconstruction has the training distribution, so its KL is near the test-split floor,
    // while prior draws 3 standard deviations away are far off.
    expect(kld.klKde).toBeLessThan(0.1);
    expect(kld.klTestFloor).toBeLessThan(0.1);
    expect(kld.klPriorOnly).toBeGreaterThan(1);
    expect(kld.klKnn).toBeLessThan(0.2);
    expect(kld.klKnnPriorOnly).toBeGreaterThan(1);
    expect(kld.klPerFeature).toHaveLength(2);
    expect(kld.klKde).toBeCloseTo((kld.klPerFeature[0] + kld.klPerFeature[1]) / 2, 12);
  });

  test('copies inputs', () => {
    expect(kld.baseAccuracy).toBe(0.81);
    expect(kld.priorAccuracy).toBeCloseTo(Math.exp(-1.5), 12);
    expect(kld.acceptance).toBeCloseTo(0.25, 12);
    expect(kld.rhatMax).toBe(1.02);
    expect(kld.essMin).toBe(120);
    expect(kld.family).toBe('tree');
    expect(kld.labelNoise).toBe(0.2);
    expect(kld.dataset).toBe('toy');
    expect(kld.prior).toEqual({ kind: 'gaussian', shift: 3, scale: 1 });
    expect(kld.warnings).toEqual(diagnostics.warnings);
    expect(run.result.metrics).toEqual({ klKde: kld.klKde, klKnn: kld.klKnn });
  });

  test('marginals in original units', () => {
    expect(marginals.features.map((feature) => feature.name)).toEqual(['height', 'weight']);
    for (const feature of marginals.features) {
      expect(feature.grid).toHaveLength(128);
      const step = feature.grid[1] - feature.grid[0];
      for (const curve of [feature.real, feature.reconstructed, feature.prior]) {
        const mass = step * (curve.reduce((sum, value) => sum + value, 0) - 0.5 * (curve[0] + curve[127]));
        expect(mass).toBeCloseTo(1, 2);
      }
    }
    // Real heights are a 50/50 mixture of N(170, 10²) and N(190, 10²): the grid must span them.
    const height = marginals.features[0];
    expect(height.grid[0]).toBeLessThan(150);
    expect(height.grid[127]).toBeGreaterThan(210);
  });

  test('same seed is byte-identical', async () => {
    const again = await runStage(evaluateKld, { seed: 0 }, {
      data: await inputRef('ingest', { 'dataset.json': dataset }),
      samples: await inputRef('sample', { 'samples.json': samples, 'diagnostics.json': diagnostics }),
      prior: await inputRef('choose-prior', { 'prior.json': prior }),
      model: await inputRef('train-base', { 'metrics.json': metrics }),
    });
    expect(await readFile(join(again.outDir, 'kld.json'), 'utf8')).toBe(await readFile(join(run.outDir, 'kld.json'), 'utf8'));
  });
});

describe('evaluate-kld rejection run', () => {
  test('no chains give null R-hat and ESS', async () => {
    const rejection: SamplerDiagnostics = { ...diagnostics, sampler: 'rejection', rhat: [], ess: [], stepSize: [], warnings: [] };
    const run = await runStage(evaluateKld, {}, {
      data: await inputRef('ingest', { 'dataset.json': dataset }),
      samples: await inputRef('sample', { 'samples.json': { ...samples, sampler: 'rejection' }, 'diagnostics.json': rejection }),
      prior: await inputRef('choose-prior', { 'prior.json': { ...prior, kind: 'uniform', config: { kind: 'uniform' } } }),
      model: await inputRef('train-base', { 'metrics.json': metrics }),
    });
    const kld: KldResult = JSON.parse(await readFile(join(run.outDir, 'kld.json'), 'utf8'));
    expect(kld.sampler).toBe('rejection');
    expect(kld.rhatMax).toBeNull();
    expect(kld.essMin).toBeNull();
    expect(kld.prior).toEqual({ kind: 'uniform', shift: null, scale: null });
    expect(kld.warnings).toEqual([]);
  });
});

describe('evaluate-kld input errors', () => {
  async function run(params: JsonObject, sampleFile: SamplesFile, priorFile: PriorFile = prior): Promise<unknown> {
    return runStage(evaluateKld, params, {
      data: await inputRef('ingest', { 'dataset.json': dataset }),
      samples: await inputRef('sample', { 'samples.json': sampleFile, 'diagnostics.json': diagnostics }),
      prior: await inputRef('choose-prior', { 'prior.json': priorFile }),
      model: await inputRef('train-base', { 'metrics.json': metrics }),
    });
  }

  test('k below 1 raises', async () => {
    await expect(run({ k: 0 }, samples)).rejects.toThrow(InputError);
    await expect(run({ k: 0 }, samples)).rejects.toThrow(/param k 0: expected an integer >= 1/);
  });

  test('feature count mismatch raises', async () => {
    const threeFeatures: SamplesFile = { ...samples, d: 3, x: samples.x.slice(0, 399), n: 133, y: samples.y.slice(0, 133) };
    await expect(run({}, threeFeatures)).rejects.toThrow(/133 rows of 3 features .* dataset toy has 2 features/);
  });

  test('prior feature mismatch raises', async () => {
    const oneFeature: PriorFile = { ...prior, features: prior.features.slice(0, 1) };
    await expect(run({}, samples, oneFeature)).rejects.toThrow(/prior has 1 features, but dataset toy has 2/);
  });

  test('non-finite value raises', async () => {
    // JSON writes NaN as null, which is what a diverged sampler leaves in samples.json.
    const x = [...samples.x];
    x[7] = NaN;
    await expect(run({}, { ...samples, x })).rejects.toThrow(/row 3, feature weight is null/);
  });

  test('unknown class index raises', async () => {
    const y = [...samples.y];
    y[5] = 2;
    await expect(run({}, { ...samples, y })).rejects.toThrow(/row 5 has class index 2, but dataset toy has 2 classes/);
  });
});
