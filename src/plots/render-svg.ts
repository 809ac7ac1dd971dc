/**
 * Renders vega-lite specs to SVG strings in Node. vega and vega-lite are imported on first use,
 * because importing them costs about 0.2 s and the engine only needs them when it writes a report.
 */
import type { TopLevelSpec } from 'vega-lite';

/**
 * Compiles a vega-lite spec and renders it to an SVG string with the headless vega view, so no
 * canvas package is needed. Element ids are renamed to `${idPrefix}-<n>` (see renameSvgIds).
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const runtime = vega.parse(vegaLite.compile(spec).spec);
  const view = new vega.View(runtime, { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return renameSvgIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/**
 * Renames every `id` in an SVG to `${prefix}-<n>`, numbered by first appearance, and rewrites the
 * `url(#id)` and `href="#id"` references to match. vega numbers clip paths and gradients with
 * process-wide counters, so without this the same plot rendered twice gets different ids, and
 * two plots inlined into one page can share an id and clip each other's marks.
 */
export function renameSvgIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!renamed.has(match[1])) renamed.set(match[1], `${prefix}-${renamed.size + 1}`);
  }
  if (renamed.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (whole, open: string, id: string, close: string) => open + (renamed.get(id) ?? id) + close)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => `url(#${renamed.get(id) ?? id})`)
    .replace(/(href=")#([^"]+)(")/g, (whole, open: string, id: string, close: string) => `${open}#${renamed.get(id) ?? id}${close}`);
}
