/** Readable run labels and the rows of the per-feature KL heat map. */
import type { ReportData, ResultRow } from '../formats.js';
import type { HeatMapRun } from './detail-specs.js';

/** Above this many runs, heat-map rows average over seeds, so each row keeps a readable label. */
export const MAX_HEAT_MAP_RUNS = 120;

/** Prior kind with its shift δ and, when not 1, its scale κ, for example "gaussian δ=1". */
export function priorLabel(row: ResultRow): string {
  const shift = row.prior_shift === null ? '' : ` δ=${row.prior_shift}`;
  const scale = row.prior_scale === null || row.prior_scale === 1 ? '' : ` κ=${row.prior_scale}`;
  return `${row.prior}${shift}${scale}`;
}

/** Label of a run's setting without its seed: family, label noise and prior. */
function settingLabel(row: ResultRow): string {
  return `${row.family}, noise ${row.label_noise}, ${priorLabel(row)}`;
}

/** Short readable label of a run (family, label noise, prior, seed), or its id when unknown. */
export function runLabel(runId: string, rowsById: Map<string, ResultRow>): string {
  const row = rowsById.get(runId);
  return row ? `${settingLabel(row)}, seed ${row.seed}` : runId;
}

/** Mean of the finite values, or null when there are none. */
function finiteMean(values: (number | null)[]): number | null {
  const finite = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return finite.length === 0 ? null : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}

/**
 * Builds the heat-map rows of one dataset: one per run, or, past MAX_HEAT_MAP_RUNS, one per
 * setting with the per-feature mean over its seeds. Runs missing from the results keep their id.
 */
export function heatMapRows(entry: ReportData['featureKl'][number], rowsById: Map<string, ResultRow>): { runs: HeatMapRun[]; averaged: boolean } {
  if (entry.runs.length <= MAX_HEAT_MAP_RUNS) {
    return { runs: entry.runs.map((run) => ({ label: runLabel(run.runId, rowsById), values: run.values })), averaged: false };
  }
  const groups = new Map<string, (number | null)[][]>();
  for (const run of entry.runs) {
    const row = rowsById.get(run.runId);
    const label = row ? settingLabel(row) : run.runId;
    groups.set(label, [...(groups.get(label) ?? []), run.values]);
  }
  const runs = [...groups].map(([label, members]) => ({
    label: members.length === 1 ? label : `${label}, mean of ${members.length}`,
    values: entry.features.map((_, j) => finiteMean(members.map((values) => values[j]))),
  }));
  return { runs, averaged: true };
}
