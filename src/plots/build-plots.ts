/**
 * Chooses the report's plots from ReportData and renders each to SVG. Plots without data are left
 * out, so every rendered plot has marks.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportData, ResultRow } from '../formats.js';
import { featureKlHeatMapSpec, marginalsSpec } from './detail-specs.js';
import { MAX_HEAT_MAP_RUNS, heatMapRows, runLabel } from './heat-map-rows.js';
import { renderVegaLiteSvg } from './render-svg.js';
import { klScatterSpec, priorShiftSpec, shiftedRuns, syntheticSpec } from './scatter-specs.js';

/** A plot before rendering: its file name, the text the page shows with it, and its spec. */
export interface PlannedPlot {
  /** File name under plots/, unique within a report; also the SVG id prefix. */
  name: string;
  title: string;
  /** One or two sentences telling the reader what to look for. */
  caption: string;
  spec: TopLevelSpec;
}

export interface RenderedPlot extends Omit<PlannedPlot, 'spec'> {
  svg: string;
}

/** File-name-safe slug of a dataset name, made unique with a numeric suffix. */
function uniqueSlug(name: string, used: Set<string>): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dataset';
  let slug = base;
  for (let k = 2; used.has(slug); k++) slug = `${base}-${k}`;
  used.add(slug);
  return slug;
}

function summaryPlots(results: ResultRow[]): PlannedPlot[] {
  if (results.length === 0) return [];
  const plots: PlannedPlot[] = [
    {
      name: 'kl-vs-prior-accuracy',
      title: 'KL against prior accuracy',
      caption: 'Each point is one run. The theory predicts that KL falls as the prior gets more accurate; the dashed line is a least-squares fit per dataset.',
      spec: klScatterSpec(results, 'prior_accuracy'),
    },
    {
      name: 'kl-vs-base-accuracy',
      title: 'KL against base model accuracy',
      caption: 'The theory predicts that KL falls as the attacked model gets more accurate; the dashed line is a least-squares fit per dataset.',
      spec: klScatterSpec(results, 'base_accuracy'),
    },
    {
      name: 'synthetic-vs-base-accuracy',
      title: 'Synthetic against base accuracy',
      caption: 'A model trained on reconstructed rows, tested on the real test set. Points on the grey identity line match the base model; points below it lost accuracy.',
      spec: syntheticSpec(results),
    },
  ];
  if (shiftedRuns(results).length > 0) {
    plots.push({
      name: 'kl-vs-prior-shift',
      title: 'KL against prior shift',
      caption: 'Gaussian priors moved away from the data by δ standard deviations; lines join the mean KL per family.',
      spec: priorShiftSpec(results),
    });
  }
  return plots;
}

function datasetPlots(data: ReportData, rowsById: Map<string, ResultRow>): PlannedPlot[] {
  const plots: PlannedPlot[] = [];
  const used = new Set<string>();
  const slugs = new Map<string, string>();
  const slugOf = (dataset: string) => slugs.get(dataset) ?? slugs.set(dataset, uniqueSlug(dataset, used)).get(dataset)!;
  for (const entry of data.featureKl) {
    if (entry.runs.length === 0 || entry.features.length === 0) continue;
    const { runs, averaged } = heatMapRows(entry, rowsById);
    const rows = averaged
      ? `Each row is one setting (family, label noise and prior) and shows its KL averaged over seeds, because this dataset has more than ${MAX_HEAT_MAP_RUNS} runs.`
      : 'Each row is one run.';
    plots.push({
      name: `feature-kl-${slugOf(entry.dataset)}`,
      title: `Per-feature KL: ${entry.dataset}`,
      caption: `Which features reconstruct badly: KL (KDE, nats) per feature. ${rows} Darker cells have higher KL; blank cells have no value.`,
      spec: featureKlHeatMapSpec(entry.features, runs),
    });
  }
  for (const entry of data.marginals) {
    if (entry.marginals.features.length === 0) continue;
    plots.push({
      name: `marginals-${slugOf(entry.dataset)}`,
      title: `Marginal densities: ${entry.dataset}`,
      caption: `Run ${runLabel(entry.runId, rowsById)}, x in original units. A good reconstruction follows the real density (black) more closely than the prior (dashed blue) does.`,
      spec: marginalsSpec(entry.marginals),
    });
  }
  return plots;
}

/** Lists the plots the data supports: the summary scatter plots first, then per-dataset detail. */
export function planPlots(data: ReportData): PlannedPlot[] {
  const rowsById = new Map(data.results.map((row) => [row.run_id, row]));
  return [...summaryPlots(data.results), ...datasetPlots(data, rowsById)];
}

/** Renders planned plots one after another, because rendering is CPU-bound. */
export async function renderPlots(plots: PlannedPlot[]): Promise<RenderedPlot[]> {
  const rendered: RenderedPlot[] = [];
  for (const { spec, ...plot } of plots) {
    rendered.push({ ...plot, svg: await renderVegaLiteSvg(spec, plot.name) });
  }
  return rendered;
}
