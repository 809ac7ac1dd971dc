/** Shared look of the report's plots: fonts, sizes and the fixed colour of each model family. */
import type { Config } from 'vega-lite';

/** Tableau 10, so family colours match between plots whatever families a plot contains. */
const FAMILY_PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

export const PLOT_CONFIG: Config = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#d0d0d0' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#ececec' },
  header: { labelFontSize: 12, labelFontWeight: 'bold', titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  title: { fontSize: 13, fontWeight: 'normal', anchor: 'start' },
};

/** Colour scale over the given families (already sorted), cycling the palette past ten. */
export function familyColorScale(families: string[]): { domain: string[]; range: string[] } {
  return { domain: families, range: families.map((_, i) => FAMILY_PALETTE[i % FAMILY_PALETTE.length]) };
}

/** Number of facet columns: one row for up to three panels, then three per row. */
export function facetColumns(panels: number): number {
  return Math.max(1, Math.min(3, panels));
}

/** Plot-area size in pixels of one scatter panel: wide for one or two panels, narrower past two. */
export function scatterPanelSize(panels: number): { width: number; height: number } {
  if (panels <= 1) return { width: 520, height: 320 };
  if (panels === 2) return { width: 460, height: 300 };
  return { width: 300, height: 240 };
}

/**
 * Quantitative scale of a scatter axis: the data range without zero or rounding, padded by 14 px
 * on both ends so points at the extremes (accuracy 1.0, say) do not sit on an axis.
 */
export const PADDED_SCALE = { zero: false, nice: false, padding: 14 } as const;
