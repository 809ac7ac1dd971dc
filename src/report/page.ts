/** Assembles the self-contained report page from its rendered sections. */
import type { ReportData } from '../formats.js';
import type { RenderedPlot } from '../plots/build-plots.js';
import { escapeHtml, formatCount } from './html-text.js';
import { PAGE_CSS, PAGE_SCRIPT } from './page-assets.js';

/**
 * Removes the namespace declarations of a standalone SVG file. Inside HTML the parser puts <svg>
 * in the SVG namespace by itself, and dropping them leaves the page free of URL-like strings.
 */
export function inlineSvg(svg: string): string {
  return svg.replace(/^<svg([^>]*)>/, (whole, attributes: string) => `<svg${attributes.replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')}>`);
}

export function renderPlotsSection(plots: RenderedPlot[]): string {
  const figures = plots.map((plot) =>
    [
      `<figure class="plot" id="plot-${plot.name}" data-plot="${plot.name}">`,
      `<h3>${escapeHtml(plot.title)}</h3>`,
      `<figcaption>${escapeHtml(plot.caption)}</figcaption>`,
      inlineSvg(plot.svg),
      '</figure>',
    ].join('\n'),
  );
  return [
    '<section id="plots"><h2>Plots</h2>',
    plots.length === 0 ? '<p class="empty">No data to plot.</p>' : `<div class="plots">\n${figures.join('\n')}\n</div>`,
    '</section>',
  ].join('\n');
}

/** Describes in one sentence what the report covers: runs, datasets and model families. */
export function describeScope(data: ReportData): string {
  const datasets = [...new Set(data.results.map((row) => row.dataset))];
  const families = [...new Set(data.results.map((row) => row.family))];
  if (data.results.length === 0) return 'This report contains no runs.';
  const runs = `${formatCount(data.results.length)} reconstruction run${data.results.length === 1 ? '' : 's'}`;
  const datasetText = `${datasets.length} dataset${datasets.length === 1 ? '' : 's'} (${datasets.join(', ')})`;
  const familyText = `${families.length} model famil${families.length === 1 ? 'y' : 'ies'} (${families.join(', ')})`;
  return `${runs} on ${datasetText} with ${familyText}.`;
}

const NAV_LINKS: [string, string][] = [
  ['theory', 'Theory check'],
  ['plots', 'Plots'],
  ['results', 'Results'],
  ['diagnostics', 'Diagnostics'],
  ['provenance', 'Provenance'],
];

export interface PageParts {
  pipeline: string;
  scope: string;
  /** Rendered notices shown above the first section, most severe first. Empty strings are left out. */
  notices: string[];
  sections: string[];
}

export function renderPage(parts: PageParts): string {
  const title = `Reconstruction study: ${parts.pipeline}`;
  const nav = NAV_LINKS.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    `<header class="page"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(parts.scope)}</p><nav>${nav}</nav></header>`,
    '<main>',
    ...parts.notices.filter((notice) => notice !== ''),
    ...parts.sections,
    '</main>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
