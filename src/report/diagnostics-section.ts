/** Sampler diagnostics per run: acceptance, worst R-hat, smallest ESS and the sampler's warnings. */
import type { ReportData, ResultRow } from '../formats.js';
import { priorLabel } from '../plots/heat-map-rows.js';
import { formatCount } from './html-text.js';
import { type Column, renderSortableTable } from './table.js';

/** Split R-hat above this means the chains have not mixed. */
export const RHAT_WARN_ABOVE = 1.01;
/** Bulk effective sample sizes below this are flagged as low. */
export const ESS_WARN_BELOW = 100;

export function isRhatHigh(rhat: number | null): boolean {
  return rhat !== null && Number.isFinite(rhat) && rhat > RHAT_WARN_ABOVE;
}

export function isEssLow(ess: number | null): boolean {
  return ess !== null && Number.isFinite(ess) && ess < ESS_WARN_BELOW;
}

interface DiagnosticRow {
  runId: string;
  result: ResultRow | undefined;
  warnings: string[];
}

function hasProblem(row: DiagnosticRow): boolean {
  return row.warnings.length > 0 || isRhatHigh(row.result?.rhat_max ?? null) || isEssLow(row.result?.ess_min ?? null);
}

/** Joins results with warnings by run id; runs with a problem come first, otherwise data order. */
function diagnosticRows(data: ReportData): DiagnosticRow[] {
  const warningsById = new Map<string, string[]>();
  for (const entry of data.diagnostics) warningsById.set(entry.runId, [...(warningsById.get(entry.runId) ?? []), ...entry.warnings]);
  const rows: DiagnosticRow[] = data.results.map((result) => ({ runId: result.run_id, result, warnings: warningsById.get(result.run_id) ?? [] }));
  const known = new Set(rows.map((row) => row.runId));
  for (const [runId, warnings] of warningsById) if (!known.has(runId)) rows.push({ runId, result: undefined, warnings });
  return [...rows.filter(hasProblem), ...rows.filter((row) => !hasProblem(row))];
}

/**
 * Run coordinates first, because the warnings come from the run's sample instance and an
 * evaluate-kld id would name the wrong stage. A run missing from the results shows its id as dataset.
 */
const DIAGNOSTIC_COLUMNS: Column<DiagnosticRow>[] = [
  { label: 'dataset', type: 'text', value: (d) => d.result?.dataset ?? d.runId, cellClass: (d) => (d.result ? undefined : 'run-id') },
  { label: 'family', type: 'text', value: (d) => d.result?.family ?? null },
  { label: 'noise', description: 'fraction of base training labels replaced', type: 'number', decimals: 2, value: (d) => d.result?.label_noise ?? null },
  { label: 'prior', description: 'prior kind with its shift δ and scale κ', type: 'text', value: (d) => (d.result ? priorLabel(d.result) : null) },
  { label: 'seed', type: 'number', decimals: 0, value: (d) => d.result?.seed ?? null },
  { label: 'sampler', type: 'text', value: (d) => d.result?.sampler ?? null },
  { label: 'acceptance', type: 'number', decimals: 3, value: (d) => d.result?.acceptance ?? null },
  {
    label: 'R-hat max', description: `flagged above ${RHAT_WARN_ABOVE}`, type: 'number', decimals: 3,
    value: (d) => d.result?.rhat_max ?? null, cellClass: (d) => (isRhatHigh(d.result?.rhat_max ?? null) ? 'warn' : undefined),
  },
  {
    label: 'ESS min', description: `flagged below ${ESS_WARN_BELOW}`, type: 'number', decimals: 0,
    value: (d) => d.result?.ess_min ?? null, cellClass: (d) => (isEssLow(d.result?.ess_min ?? null) ? 'warn' : undefined),
  },
  {
    label: 'warnings', type: 'text', value: (d) => d.warnings.map((warning) => `• ${warning}`).join('\n'),
    cellClass: (d) => (d.warnings.length > 0 ? 'warn-text' : undefined),
  },
];

/** Meaning of a flagged run and its usual fix, as one sentence of HTML. */
export const WARNING_MEANING_HTML = `A split R-hat above ${RHAT_WARN_ABOVE} or a bulk ESS below ${ESS_WARN_BELOW} means the chains may not have mixed, and raising <code>steps</code> of the sample stage should help.`;

/** "All 48 runs have" or "4 of 60 runs have". */
function flaggedText(flagged: number, total: number): string {
  return flagged === total ? `All ${formatCount(total)} runs have` : `${formatCount(flagged)} of ${formatCount(total)} runs have`;
}

/** Counts the runs with a sampler warning, a high R-hat or a low ESS, out of all runs. */
export function countFlaggedRuns(data: ReportData): { flagged: number; total: number } {
  const rows = diagnosticRows(data);
  return { flagged: rows.filter(hasProblem).length, total: rows.length };
}

/**
 * Renders the page-top notice of flagged runs in amber, linked to the diagnostics section, or
 * an empty string when no run is flagged. Warnings do not stop a run, so they are not shown in red.
 */
export function renderWarningNotice(data: ReportData): string {
  const { flagged, total } = countFlaggedRuns(data);
  if (flagged === 0) return '';
  return [
    `<p class="callout notice-warning" role="status">${flaggedText(flagged, total)} a sampler warning. ${WARNING_MEANING_HTML}`,
    ' <a href="#diagnostics">See the sampler diagnostics.</a></p>',
  ].join('');
}

/** Summary line of the diagnostics section as HTML, built from numbers and fixed text only. */
function diagnosticsSummary(flagged: number, total: number): string {
  const problems = `a sampler warning, an R-hat above ${RHAT_WARN_ABOVE} or an ESS below ${ESS_WARN_BELOW}`;
  if (total === 0) return 'No sampler diagnostics in this report.';
  if (flagged === 0) return `No run has ${problems}.`;
  const order = flagged === total ? '' : ' They are listed first.';
  return `${flaggedText(flagged, total)} ${problems}.${order} ${WARNING_MEANING_HTML}`;
}

export function renderDiagnosticsSection(data: ReportData): string {
  const rows = diagnosticRows(data);
  const flagged = rows.filter(hasProblem).length;
  return [
    '<section id="diagnostics"><h2>Sampler diagnostics</h2>',
    `<p class="${flagged > 0 ? 'callout notice-warning' : 'hint'}">${diagnosticsSummary(flagged, rows.length)}</p>`,
    rows.length === 0 ? '' : renderSortableTable('diagnostics-table', DIAGNOSTIC_COLUMNS, rows, 'dataset, family, prior or warning text…'),
    '</section>',
  ].join('\n');
}
