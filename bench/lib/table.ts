/** Renders BenchResults as the readable table `npm run bench` prints. */
import type { BenchResults, FamilyFigures } from './results.js';

type Row = [figure: string, ours: string, theirs: string, ratio: string, target: string];

/** Formats a number with three significant digits, thousands as k and millions as M. */
export function formatNumber(value: number | null | undefined): string {
  if (value == null) return '-';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e4) return String(value);
  if (magnitude >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (magnitude >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return value.toPrecision(3);
}

function targetCell(results: BenchResults, name: string): string {
  const target = results.targets[name];
  if (target === undefined) return '';
  if (target.met === null) return `${target.target} not measured`;
  return `${target.target} ${target.met ? 'met' : 'MISSED'}`;
}

function familyRows(results: BenchResults, label: string, ours: FamilyFigures, theirs: FamilyFigures, ratios: FamilyFigures, ratioField: string): Row[] {
  return Object.keys({ ...ours, ...theirs, ...ratios }).map((family) => [
    `${label} ${family}`,
    formatNumber(ours[family]),
    formatNumber(theirs[family]),
    formatNumber(ratios[family]),
    targetCell(results, `${ratioField}.${family}`),
  ]);
}

function rows(results: BenchResults): Row[] {
  const r = results;
  const table: Row[] = [
    ['no-op rerun, study shape (s)', formatNumber(r.noop_rerun_s), formatNumber(r.snakemake_noop_s), formatNumber(r.noop_vs_snakemake), targetCell(r, 'noop_vs_snakemake')],
    ['no-op rerun, absolute (s)', formatNumber(r.noop_rerun_s), '', '', targetCell(r, 'noop_rerun_s')],
    ['cold run, study shape (s)', formatNumber(r.study_shape_cold_s), formatNumber(r.snakemake_cold_s), '', ''],
    ['instances / jobs', formatNumber(r.study_shape_instances), formatNumber(r.snakemake_jobs), '', ''],
    ...familyRows(r, 'predict rows/s @1000', r.predict_rows_per_s, r.python_predict_rows_per_s, r.predict_vs_python, 'predict_vs_python'),
    ...familyRows(r, 'predict rows/s @100', r.predict_rows_per_s_batch100, r.python_predict_rows_per_s_batch100, r.predict_vs_python_batch100, 'predict_vs_python_batch100'),
    ...familyRows(r, 'chain steps/s', r.chain_steps_per_s, r.numpy_chain_steps_per_s, r.sampler_vs_numpy, 'sampler_vs_numpy'),
    ...Object.keys(r.sampler_overhead).map((family): Row => [
      `sampler overhead ${family}`,
      formatNumber(r.sampler_overhead[family]),
      formatNumber(r.numpy_sampler_overhead[family]),
      '',
      targetCell(r, `sampler_overhead.${family}`),
    ]),
    ...Object.keys(r.sampler_predict_share).map((family): Row => [`predict share of sampler ${family}`, formatNumber(r.sampler_predict_share[family]), '', '', '']),
    ['quickstart cold (s)', formatNumber(r.quickstart_cold_s), '', '', ''],
  ];
  if (r.study_cold_s !== undefined) {
    table.push([`${r.study_pipeline} cold --jobs 2 (s)`, formatNumber(r.study_cold_s), '', '', '']);
    table.push([`${r.study_pipeline} cold --jobs 1 (s)`, formatNumber(r.study_cold_jobs1_s), '', '', '']);
    table.push(['jobs2 speedup', formatNumber(r.jobs2_speedup), '', '', targetCell(r, 'jobs2_speedup')]);
    table.push(['cores busy at --jobs 2 / 1', `${formatNumber(r.study_cores_busy?.jobs2)} / ${formatNumber(r.study_cores_busy?.jobs1)}`, '', '', '']);
  }
  if (r.bullmq_cold_s !== undefined) {
    table.push([`${r.bullmq_pipeline} cold, bullmq 2 workers / local --jobs 2 (s)`, formatNumber(r.bullmq_cold_s), formatNumber(r.local_jobs2_cold_s), formatNumber(r.bullmq_overhead), targetCell(r, 'bullmq_overhead')]);
  }
  table.push(['peak RSS (MiB), theirs = Snakemake', formatNumber(r.peak_rss_mb), formatNumber(r.peak_rss_mb_by_program['snakemake']), '', '']);
  return table;
}

/** Returns the figures as a Markdown table, for BENCHMARKS.md. */
export function renderMarkdown(results: BenchResults): string {
  const header: Row = ['figure', 'ours', 'theirs', 'ours/theirs', 'target'];
  const line = (row: Row) => `| ${row.join(' | ')} |`;
  const out = [line(header), line(header.map(() => '---') as Row), ...rows(results).map(line)];
  const skipped = Object.entries(results.skipped);
  if (skipped.length > 0) out.push('', ...skipped.map(([field, reason]) => `- skipped: ${field}: ${reason}`));
  return out.join('\n');
}

/** Returns the table, the machine line and the skipped figures as text. */
export function renderTable(results: BenchResults): string {
  const header: Row = ['figure', 'ours', 'theirs', 'ours/theirs', 'target'];
  const body = rows(results);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((row) => row[column].length)));
  const line = (row: Row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const m = results.machine;
  const out = [
    `recon bench ${m.date}: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GiB, Node ${m.node}, load ${m.loadStart.join(' ')} -> ${(m.loadEnd ?? []).join(' ')}`,
    `data: ${results.data_source ?? 'not loaded'}; sampler: ${results.sampler_chains} chains x ${results.sampler_steps} steps`,
    'theirs: Snakemake (no-op, cold), scikit-learn / xgboost (predict), NumPy with the same models (sampler)',
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width)) as Row),
    ...body.map(line),
  ];
  const skipped = Object.entries(results.skipped);
  if (skipped.length > 0) out.push('', ...skipped.map(([field, reason]) => `skipped: ${field}: ${reason}`));
  return out.join('\n');
}
