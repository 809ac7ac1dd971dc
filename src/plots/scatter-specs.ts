/**
 * vega-lite specs for the per-run scatter plots: KL against prior and model accuracy, synthetic
 * against base accuracy, and KL against prior shift. Each has one panel per dataset with its own
 * scales, because KL levels differ by dataset far more than within one.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../formats.js';
import { PADDED_SCALE, PLOT_CONFIG, facetColumns, familyColorScale, scatterPanelSize } from './plot-style.js';

/** Row fields an x axis of a KL scatter can use, with their axis titles. */
export const KL_SCATTER_AXES = {
  prior_accuracy: 'prior accuracy A_π = exp(−E_π)',
  base_accuracy: 'base model accuracy A_f',
} as const;

export type KlScatterAxis = keyof typeof KL_SCATTER_AXES;

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** Facet fields of a spec with one panel per dataset, wrapped into rows of three. */
function facetByDataset(datasets: string[]) {
  return { facet: { field: 'dataset', type: 'nominal' as const, title: null, sort: datasets }, columns: facetColumns(datasets.length) };
}

function familyColor(families: string[]) {
  return { field: 'family', type: 'nominal' as const, title: 'family', scale: familyColorScale(families) };
}

const POINT_MARK = { type: 'point', filled: true, opacity: 0.75, size: 45 } as const;

/** Axis definition of KL (KDE) in nats, shared by the KL plots. */
const KL_AXIS = { field: 'kl', type: 'quantitative' as const, title: 'KL, KDE (nats)', scale: PADDED_SCALE };

/** Wraps layers into one panel per dataset, each panel with its own x and y scales. */
function facetedLayers(values: object[], datasets: string[], layer: object[]): TopLevelSpec {
  return {
    config: PLOT_CONFIG,
    data: { values },
    ...facetByDataset(datasets),
    spec: {
      ...scatterPanelSize(datasets.length),
      layer,
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}

/** KL (KDE) of each run against one accuracy, with a dashed least-squares line per dataset. */
export function klScatterSpec(rows: ResultRow[], axis: KlScatterAxis): TopLevelSpec {
  const values = rows
    .filter((row) => Number.isFinite(row[axis]) && Number.isFinite(row.kl_kde))
    .map((row) => ({ dataset: row.dataset, family: row.family, x: row[axis], kl: row.kl_kde }));
  const x = { field: 'x', type: 'quantitative' as const, title: KL_SCATTER_AXES[axis], scale: PADDED_SCALE };
  const y = KL_AXIS;
  const datasets = sortedUnique(values.map((v) => v.dataset));
  return facetedLayers(values, datasets, [
    { mark: POINT_MARK, encoding: { x, y, color: familyColor(sortedUnique(values.map((v) => v.family))) } },
    {
      transform: [{ regression: 'kl', on: 'x' }],
      mark: { type: 'line', color: '#555555', strokeDash: [5, 3], strokeWidth: 1.5 },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'kl', type: 'quantitative' } },
    },
  ]);
}

/** Identity-line end points per dataset, spanning both accuracies so the line crosses every point. */
function identityRange(rows: { dataset: string; base: number; synthetic: number }[]): Map<string, [number, number]> {
  const range = new Map<string, [number, number]>();
  for (const row of rows) {
    const [lo, hi] = range.get(row.dataset) ?? [Infinity, -Infinity];
    range.set(row.dataset, [Math.min(lo, row.base, row.synthetic), Math.max(hi, row.base, row.synthetic)]);
  }
  return range;
}

/** Synthetic accuracy A_s against base accuracy A_f; points on the grey line lost nothing. */
export function syntheticSpec(rows: ResultRow[]): TopLevelSpec {
  const points = rows
    .filter((row) => Number.isFinite(row.base_accuracy) && Number.isFinite(row.synthetic_accuracy))
    .map((row) => ({ dataset: row.dataset, family: row.family, base: row.base_accuracy, synthetic: row.synthetic_accuracy }));
  const range = identityRange(points);
  const values = points.map((p) => ({ ...p, lo: range.get(p.dataset)![0], hi: range.get(p.dataset)![1] }));
  const scale = PADDED_SCALE;
  const datasets = [...range.keys()].sort();
  return facetedLayers(values, datasets, [
    {
      // One aggregated rule per panel from (lo, lo) to (hi, hi): the identity line A_s = A_f.
      mark: { type: 'rule', color: '#9a9a9a', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'lo', aggregate: 'min', type: 'quantitative', scale },
        y: { field: 'lo', aggregate: 'min', type: 'quantitative', scale },
        x2: { field: 'hi', aggregate: 'max' },
        y2: { field: 'hi', aggregate: 'max' },
      },
    },
    {
      mark: POINT_MARK,
      encoding: {
        x: { field: 'base', type: 'quantitative', title: 'base model accuracy A_f', scale },
        y: { field: 'synthetic', type: 'quantitative', title: 'synthetic model accuracy A_s', scale },
        color: familyColor(sortedUnique(values.map((v) => v.family))),
      },
    },
  ]);
}

/** Runs whose prior has a shift, or an empty list when fewer than two shifts were tried. */
export function shiftedRuns(rows: ResultRow[]): ResultRow[] {
  const shifted = rows.filter((row) => row.prior_shift !== null && Number.isFinite(row.prior_shift) && Number.isFinite(row.kl_kde));
  return new Set(shifted.map((row) => row.prior_shift)).size >= 2 ? shifted : [];
}

/** KL against prior shift δ, one line per family through the mean KL at each shift. */
export function priorShiftSpec(rows: ResultRow[]): TopLevelSpec {
  const values = shiftedRuns(rows).map((row) => ({ dataset: row.dataset, family: row.family, shift: row.prior_shift, kl: row.kl_kde }));
  const color = familyColor(sortedUnique(values.map((v) => v.family)));
  const x = { field: 'shift', type: 'quantitative' as const, title: 'prior shift δ (training standard deviations)', scale: PADDED_SCALE };
  const y = KL_AXIS;
  const datasets = sortedUnique(values.map((v) => v.dataset));
  return facetedLayers(values, datasets, [
    { mark: { ...POINT_MARK, opacity: 0.35 }, encoding: { x, y, color } },
    { mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y: { field: 'kl', aggregate: 'mean', type: 'quantitative' }, color } },
  ]);
}
