/**
 * Writes the study's HTML report and its plots. The engine imports this module dynamically after
 * a run, so vega and vega-lite load only when a report is written.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportData } from '../formats.js';
import { planPlots, renderPlots } from '../plots/build-plots.js';
import { renderDiagnosticsSection, renderWarningNotice } from './diagnostics-section.js';
import { describeScope, renderPage, renderPlotsSection } from './page.js';
import { type Provenance, renderFailureNotice, renderProvenanceSection } from './provenance.js';
import { renderResultsSection } from './results-section.js';
import { renderStatisticsSection } from './statistics-section.js';

export type { InstanceRecord, InstanceStatus, Provenance } from './provenance.js';

const ARRAY_FIELDS = ['results', 'correlations', 'signChecks', 'featureKl', 'marginals', 'diagnostics'] as const;

/** Rejects report data whose top-level lists are missing, for example a file from an older version. */
export function checkReportData(data: unknown): asserts data is ReportData {
  if (typeof data !== 'object' || data === null) {
    throw new TypeError(`Invalid report data: expected an object, found ${data === null ? 'null' : typeof data}; rerun the correlate stage to rewrite report-data.json.`);
  }
  for (const field of ARRAY_FIELDS) {
    const value = (data as Record<string, unknown>)[field];
    if (!Array.isArray(value)) {
      throw new TypeError(`Invalid report data: "${field}" must be an array, found ${value === null ? 'null' : typeof value}; rerun the correlate stage to rewrite report-data.json.`);
    }
  }
}

/** Deletes SVG files in plots/ that this report does not write, so no plot of an older run lingers. */
async function removeStalePlots(plotsDir: string, keep: Set<string>): Promise<void> {
  for (const entry of await readdir(plotsDir)) {
    if (entry.endsWith('.svg') && !keep.has(entry)) await rm(join(plotsDir, entry));
  }
}

/**
 * Renders the report for one run: `outDir/report.html` (self-contained, with every plot inline)
 * and each plot as `outDir/plots/<name>.svg`. The same data and provenance give byte-identical
 * files. Returns the paths written.
 */
export async function writeReport(data: ReportData, provenance: Provenance, outDir: string): Promise<{ html: string; svgs: string[] }> {
  checkReportData(data);
  const plots = await renderPlots(planPlots(data));
  const html = renderPage({
    pipeline: provenance.pipeline,
    scope: describeScope(data),
    notices: [renderFailureNotice(provenance), renderWarningNotice(data)],
    sections: [
      renderStatisticsSection(data.correlations, data.signChecks),
      renderPlotsSection(plots),
      renderResultsSection(data.results),
      renderDiagnosticsSection(data),
      renderProvenanceSection(provenance),
    ],
  });

  const plotsDir = join(outDir, 'plots');
  await mkdir(plotsDir, { recursive: true });
  const svgs: string[] = [];
  for (const plot of plots) {
    const path = join(plotsDir, `${plot.name}.svg`);
    await writeFile(path, plot.svg);
    svgs.push(path);
  }
  await removeStalePlots(plotsDir, new Set(plots.map((plot) => `${plot.name}.svg`)));
  const htmlPath = join(outDir, 'report.html');
  await writeFile(htmlPath, html);
  return { html: htmlPath, svgs };
}
