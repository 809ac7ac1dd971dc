import { describe, expect, test } from 'vitest';
import { planPlots, renderPlots } from '../../src/plots/build-plots.js';
import { MAX_HEAT_MAP_RUNS, heatMapRows, runLabel } from '../../src/plots/heat-map-rows.js';
import { renameSvgIds } from '../../src/plots/render-svg.js';
import { countMarkItems, loadFixture } from './report-fixture.js';

describe('renameSvgIds', () => {
  test('renames ids and their references', () => {
    const svg = '<svg><defs><clipPath id="clip7"><rect/></clipPath><linearGradient id="gradient_3"/></defs>'
      + '<g clip-path="url(#clip7)"><path fill="url(#gradient_3)"/><use href="#clip7"/></g></svg>';
    const renamed = renameSvgIds(svg, 'plot');
    expect(renamed).toBe(
      '<svg><defs><clipPath id="plot-1"><rect/></clipPath><linearGradient id="plot-2"/></defs>'
        + '<g clip-path="url(#plot-1)"><path fill="url(#plot-2)"/><use href="#plot-1"/></g></svg>',
    );
  });

  test('leaves an svg without ids unchanged', () => {
    const svg = '<svg><path d="M0,0L1,1"/></svg>';
    expect(renameSvgIds(svg, 'plot')).toBe(svg);
  });
});

describe('planPlots', () => {
  test('fixture gives summary then dataset plots', () => {
    expect(planPlots(loadFixture()).map((plot) => plot.name)).toEqual([
      'kl-vs-prior-accuracy',
      'kl-vs-base-accuracy',
      'synthetic-vs-base-accuracy',
      'kl-vs-prior-shift',
      'feature-kl-iris',
      'feature-kl-heart-disease',
      'marginals-iris',
      'marginals-heart-disease',
    ]);
  });

  test('prior shift plot needs two shifts', () => {
    const data = loadFixture();
    for (const row of data.results) row.prior_shift = row.prior_shift === null ? null : 1;
    expect(planPlots(data).map((plot) => plot.name)).not.toContain('kl-vs-prior-shift');
  });

  test('empty data plans no plots', () => {
    expect(planPlots({ results: [], correlations: [], signChecks: [], featureKl: [], marginals: [], diagnostics: [] })).toEqual([]);
  });

  test('dataset names become unique file names', () => {
    const data = loadFixture();
    data.featureKl[0].dataset = 'Heart Disease!';
    data.featureKl[1].dataset = 'heart/disease';
    const names = planPlots(data).map((plot) => plot.name);
    expect(names).toContain('feature-kl-heart-disease');
    expect(names).toContain('feature-kl-heart-disease-2');
  });
});

describe('runLabel', () => {
  test('known run reads family, noise, prior, seed', () => {
    const data = loadFixture();
    const rows = new Map(data.results.map((row) => [row.run_id, row]));
    expect(runLabel(data.results[2].run_id, rows)).toBe('mlp, noise 0, gaussian δ=1, seed 0');
  });

  test('unknown run falls back to its id', () => {
    expect(runLabel('evaluate-kld[x]', new Map())).toBe('evaluate-kld[x]');
  });
});

describe('heatMapRows', () => {
  test('few runs keep one row each', () => {
    const data = loadFixture();
    const rows = new Map(data.results.map((row) => [row.run_id, row]));
    const { runs, averaged } = heatMapRows(data.featureKl[0], rows);
    expect(averaged).toBe(false);
    expect(runs).toHaveLength(data.featureKl[0].runs.length);
    expect(runs[0].values).toEqual(data.featureKl[0].runs[0].values);
  });

  test('many runs average over seeds', () => {
    // 4 settings x 40 seeds = 160 runs, past the limit; seed 0 has a NaN (null in JSON).
    const results = [];
    const entry = { dataset: 'toy', features: ['a', 'b'], runs: [] as { runId: string; values: number[] }[] };
    const template = loadFixture().results[0];
    for (let setting = 0; setting < 4; setting++) {
      for (let seed = 0; seed < 40; seed++) {
        const runId = `run-${setting}-${seed}`;
        results.push({ ...template, run_id: runId, family: `f${setting}`, prior: 'uniform', prior_shift: null, prior_scale: null, seed });
        entry.runs.push({ runId, values: [setting + seed, seed === 0 ? Number.NaN : 2 * setting] });
      }
    }
    expect(entry.runs.length).toBeGreaterThan(MAX_HEAT_MAP_RUNS);
    const { runs, averaged } = heatMapRows(entry, new Map(results.map((row) => [row.run_id, row])));
    expect(averaged).toBe(true);
    expect(runs.map((run) => run.label)).toEqual([0, 1, 2, 3].map((s) => `f${s}, noise 0, uniform, mean of 40`));
    // Mean of setting + seed over seeds 0..39 is setting + 19.5; the NaN is left out of the mean.
    for (let setting = 0; setting < 4; setting++) {
      expect(runs[setting].values[0]).toBeCloseTo(setting + 19.5, 12);
      expect(runs[setting].values[1]).toBeCloseTo(2 * setting, 12);
    }
  });
});

describe('renderPlots', () => {
  test('draws one mark per data item', async () => {
    const data = loadFixture();
    const plots = new Map((await renderPlots(planPlots(data))).map((plot) => [plot.name, plot.svg]));
    const irisRuns = data.results.filter((row) => row.dataset === 'iris').length;
    // One symbol per run, across the dataset panels.
    expect(countMarkItems(plots.get('kl-vs-prior-accuracy')!, 'symbol')).toBe(data.results.length);
    expect(countMarkItems(plots.get('synthetic-vs-base-accuracy')!, 'symbol')).toBe(data.results.length);
    // One identity rule per dataset panel.
    expect(countMarkItems(plots.get('synthetic-vs-base-accuracy')!, 'rule')).toBe(2);
    // One heat-map cell per run and feature: iris has 4 features.
    expect(countMarkItems(plots.get('feature-kl-iris')!, 'rect')).toBe(irisRuns * 4);
    // Three density lines (real, reconstructed, prior) per feature.
    expect(countMarkItems(plots.get('marginals-iris')!, 'line')).toBe(4 * 3);
    expect(countMarkItems(plots.get('marginals-heart-disease')!, 'line')).toBe(6 * 3);
  });

  test('same data gives identical svg', async () => {
    const planned = planPlots(loadFixture()).filter((plot) => plot.name.startsWith('feature-kl') || plot.name.startsWith('kl-vs-prior-acc'));
    const first = await renderPlots(planned);
    const second = await renderPlots(planned);
    expect(second.map((plot) => plot.svg)).toEqual(first.map((plot) => plot.svg));
  });

  test('svg ids carry the plot name', async () => {
    const [plot] = await renderPlots(planPlots(loadFixture()).filter((p) => p.name === 'feature-kl-iris'));
    const ids = [...plot.svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^feature-kl-iris-\d+$/);
  });
});
