/**
 * vega-lite specs for one dataset's detail plots: the per-feature KL heat map over runs and the
 * marginal densities of one chosen run.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MarginalsFile } from '../formats.js';
import { PLOT_CONFIG } from './plot-style.js';

/** One heat-map row: a run's label and its KL per feature, in nats. */
export interface HeatMapRun {
  label: string;
  values: (number | null)[];
}

/** Row height of the heat map in pixels: at least 12, so an 11 px row label stays readable. */
export function heatMapStep(runs: number): number {
  return runs <= 40 ? 16 : 13;
}

/** Per-feature KL heat map, runs as rows and features as columns; darker is a worse feature. */
export function featureKlHeatMapSpec(features: string[], runs: HeatMapRun[]): TopLevelSpec {
  const values = runs.flatMap((run) =>
    features.map((feature, j) => ({ run: run.label, feature, kl: Number.isFinite(run.values[j]) ? run.values[j] : null })),
  );
  const step = heatMapStep(runs.length);
  return {
    config: PLOT_CONFIG,
    data: { values },
    width: { step: 40 },
    height: { step },
    mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'feature', type: 'nominal', sort: features, title: null, axis: { labelAngle: -45, labelLimit: 0 } },
      y: {
        field: 'run',
        type: 'nominal',
        sort: runs.map((run) => run.label),
        title: null,
        // labelLimit 0 turns truncation off: without a canvas, vega overestimates text widths.
        axis: { labelLimit: 0, labelFontSize: 11 },
      },
      color: { field: 'kl', type: 'quantitative', title: 'KL (nats)', scale: { scheme: 'orangered', zero: true } },
    },
  };
}

/** Line colour and dash per density source, fixed so every marginal plot reads the same way. */
const SOURCES = ['real', 'reconstructed', 'prior'] as const;
const SOURCE_COLORS = ['#222222', '#e15759', '#4e79a7'];
const SOURCE_DASHES = [[1, 0], [1, 0], [5, 3]];

/** Densities of real, reconstructed and prior samples, one small panel per feature. */
export function marginalsSpec(marginals: MarginalsFile): TopLevelSpec {
  const features = marginals.features.map((feature) => feature.name);
  const values = marginals.features.flatMap((feature) =>
    feature.grid.flatMap((x, i) =>
      SOURCES.map((source) => ({ feature: feature.name, x, source, density: feature[source][i] })),
    ),
  ).filter((row) => Number.isFinite(row.x) && Number.isFinite(row.density));
  return {
    config: PLOT_CONFIG,
    data: { values },
    facet: { field: 'feature', type: 'nominal', sort: features, title: null },
    columns: Math.min(4, Math.max(1, features.length)),
    // Align panels by their plot areas, so tick labels that overhang a panel do not shift it.
    bounds: 'flush',
    spacing: { column: 55, row: 60 },
    spec: {
      width: 170,
      height: 100,
      mark: { type: 'line', strokeWidth: 1.6, interpolate: 'monotone' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: null, axis: { tickCount: 4 } },
        y: { field: 'density', type: 'quantitative', title: null, axis: { tickCount: 3 } },
        color: { field: 'source', type: 'nominal', title: 'sample', sort: [...SOURCES], scale: { domain: [...SOURCES], range: SOURCE_COLORS } },
        // Same field and title as color, so vega-lite merges both into one legend.
        strokeDash: { field: 'source', type: 'nominal', title: 'sample', sort: [...SOURCES], scale: { domain: [...SOURCES], range: SOURCE_DASHES } },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
