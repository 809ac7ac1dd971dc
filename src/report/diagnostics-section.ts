/** Sampler diagnostics per run: acceptance, worst R-hat, smallest ESS and the sampler's warnings. */
import type { ReportData, ResultRow } from '../formats.js';
import { escapeHtml } from './html-text.js';
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

const DIAGNOSTIC_COLUMNS: Column<DiagnosticRow>[] = [
  { label: 'run', type: 'text', value: (d) => d.runId, cellClass: () => 'run-id' },
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

export function renderDiagnosticsSection(data: ReportData): string {
  const rows = diagnosticRows(data);
  const flagged = rows.filter(hasProblem).length;
  const problems = `a sampler warning, an R-hat above ${RHAT_WARN_ABOVE} or an ESS below ${ESS_WARN_BELOW}`;
  let summary = `${flagged} of ${rows.length} runs have ${problems}. They are listed first.`;
  if (rows.length === 0) summary = 'No sampler diagnostics in this report.';
  else if (flagged === 0) summary = `No run has ${problems}.`;
  else if (flagged === rows.length) summary = `All ${rows.length} runs have ${problems}.`;
  return [
    '<section id="diagnostics"><h2>Sampler diagnostics</h2>',
    `<p class="${flagged > 0 ? 'callout warn-callout' : 'hint'}">${escapeHtml(summary)}</p>`,
    rows.length === 0 ? '' : renderSortableTable('diagnostics-table', DIAGNOSTIC_COLUMNS, rows, 'run id or warning text…'),
    '</section>',
  ].join('\n');
}
