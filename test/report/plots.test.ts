import { describe, expect, test } from 'vitest';
import type { ResultRow } from '../../src/formats.js';
import { planPlots, renderPlots } from '../../src/plots/build-plots.js';
import { featureKlHeatMapSpec } from '../../src/plots/detail-specs.js';
import { MAX_HEAT_MAP_RUNS, heatMapRows, runLabel } from '../../src/plots/heat-map-rows.js';
import { renameSvgIds, renderVegaLiteSvg } from '../../src/plots/render-svg.js';
import { klScatterSpec, syntheticSpec } from '../../src/plots/scatter-specs.js';
import { countMarkItems, loadFixture } from './report-fixture.js';

/** Plot-area sizes of an SVG's panels, read from vega's background rectangles. */
function panelSizes(svg: string): { width: number; height: number }[] {
  return [...svg.matchAll(/class="background"[^>]*d="M0\.5,0\.5h(\d+(?:\.\d+)?)v(\d+(?:\.\d+)?)h/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

/** Centres of the drawn points (symbol marks), relative to their panel's plot area. */
function symbolCentres(svg: string): { x: number; y: number }[] {
  const centres: { x: number; y: number }[] = [];
  for (const group of svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) {
    for (const m of group[1].matchAll(/transform="translate\(([-\d.e]+),([-\d.e]+)\)"/g)) centres.push({ x: Number(m[1]), y: Number(m[2]) });
  }
  return centres;
}

/** Fixture rows of two datasets whose prior and base accuracies reach 0.05 and 1.0 exactly. */
function extremeRows(): ResultRow[] {
  const template = loadFixture().results[0];
  return ['iris', 'heart'].flatMap((dataset) =>
    [0.05, 0.3, 0.6, 1].map((accuracy, i) => ({
      ...template, run_id: `${dataset}-${i}`, dataset, prior_accuracy: accuracy, base_accuracy: accuracy,
      synthetic_accuracy: accuracy, kl_kde: 2 - 2 * accuracy,
    })),
  );
}

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

describe('plot layout', () => {
  test('heat map of 54 settings is readable', async () => {
    // 54 settings x 3 seeds = 162 runs, past the averaging limit, as in the two-dataset study.
    const features = ['a', 'b', 'c'];
    const template = loadFixture().results[0];
    const results: ResultRow[] = [];
    const entry = { dataset: 'toy', features, runs: [] as { runId: string; values: number[] }[] };
    for (let setting = 0; setting < 54; setting++) {
      for (let seed = 0; seed < 3; seed++) {
        const runId = `run-${setting}-${seed}`;
        results.push({ ...template, run_id: runId, family: `family-${setting}`, seed });
        entry.runs.push({ runId, values: [setting, seed, 1] });
      }
    }
    const { runs } = heatMapRows(entry, new Map(results.map((row) => [row.run_id, row])));
    expect(runs).toHaveLength(54);
    const svg = await renderVegaLiteSvg(featureKlHeatMapSpec(features, runs), 'heat');
    const heights = [...svg.matchAll(/aria-roledescription="rect mark" d="M[\d.]+,[\d.]+h[\d.]+v([\d.]+)h/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(54 * 3);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(12);
    const labelSizes = [...svg.matchAll(/role-axis-label.*?<\/g>/gs)].flatMap((g) => [...g[0].matchAll(/font-size="([\d.]+)px"/g)].map((m) => Number(m[1])));
    // 54 row labels and 3 feature labels, all drawn at 11 px or more.
    expect(labelSizes).toHaveLength(54 + 3);
    expect(Math.min(...labelSizes)).toBeGreaterThanOrEqual(11);
  });

  test('averaged heat map caption is a sentence', () => {
    const data = loadFixture();
    const template = data.results[0];
    const runs = Array.from({ length: MAX_HEAT_MAP_RUNS + 1 }, (_, i) => ({ runId: `r${i}`, values: [i] }));
    data.results = runs.map((run, i) => ({ ...template, run_id: run.runId, seed: i }));
    data.featureKl = [{ dataset: 'toy', features: ['a'], runs }];
    data.marginals = [];
    const plot = planPlots(data).find((p) => p.name === 'feature-kl-toy')!;
    expect(plot.caption).toContain(`Each row is one setting (family, label noise and prior) and shows its KL averaged over seeds, because this dataset has more than ${MAX_HEAT_MAP_RUNS} runs.`);
    expect(plot.caption).not.toContain('(more than');
  });

  test('scatter points clear the axes', async () => {
    const rows = extremeRows();
    for (const spec of [klScatterSpec(rows, 'prior_accuracy'), klScatterSpec(rows, 'base_accuracy'), syntheticSpec(rows)]) {
      const svg = await renderVegaLiteSvg(spec, 'scatter');
      const [panel] = panelSizes(svg);
      const centres = symbolCentres(svg);
      expect(centres).toHaveLength(rows.length);
      // Padding is 14 px: a point of radius 3.4 px at an extreme stays at least 10 px inside.
      for (const { x, y } of centres) {
        expect(x).toBeGreaterThanOrEqual(10);
        expect(x).toBeLessThanOrEqual(panel.width - 10);
        expect(y).toBeGreaterThanOrEqual(10);
        expect(y).toBeLessThanOrEqual(panel.height - 10);
      }
    }
  });

  test('two datasets get wide panels', async () => {
    const svg = await renderVegaLiteSvg(klScatterSpec(extremeRows(), 'prior_accuracy'), 'wide');
    const panels = panelSizes(svg);
    expect(panels).toHaveLength(2);
    for (const panel of panels) expect(panel.width).toBeGreaterThanOrEqual(420);
    // Side by side: the SVG is wider than two panels but not twice as tall as one.
    const [, width, height] = svg.match(/<svg[^>]*width="(\d+)" height="(\d+)"/)!.map(Number);
    expect(width).toBeGreaterThan(2 * 420);
    expect(height).toBeLessThan(2 * panels[0].height);
  });
});
