/** Provenance of a report: which pipeline ran, where, with what, and what the run executed. */
import { escapeHtml, formatCount } from './html-text.js';
import { type Column, renderSortableTable } from './table.js';

export type InstanceStatus = 'executed' | 'cached' | 'failed' | 'skipped';

export interface InstanceRecord {
  id: string;
  stage: string;
  status: InstanceStatus;
  /** Wall time of the instance in milliseconds, when it executed. */
  wallMs?: number;
}

export interface Provenance {
  /** Pipeline name from its YAML. */
  pipeline: string;
  pipelineFile: string;
  /** SHA-256 of the pipeline file's content. */
  pipelineHash: string;
  /** Date of the run as the engine formats it; the report prints it unchanged. */
  date: string;
  /** Node.js version, for example 'v20.20.2'. */
  node: string;
  /** Package name -> installed version, for the libraries the pipeline's stages declare. */
  packages: Record<string, string>;
  instances: InstanceRecord[];
}

const STATUSES: InstanceStatus[] = ['executed', 'cached', 'failed', 'skipped'];

/** Counts instances per status, every status present (0 when none). */
export function countInstances(instances: InstanceRecord[]): Record<InstanceStatus, number> {
  const counts: Record<InstanceStatus, number> = { executed: 0, cached: 0, failed: 0, skipped: 0 };
  for (const instance of instances) counts[instance.status] = (counts[instance.status] ?? 0) + 1;
  return counts;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

const INSTANCE_COLUMNS: Column<InstanceRecord>[] = [
  { label: 'instance', type: 'text', value: (i) => i.id, cellClass: () => 'run-id' },
  { label: 'stage', type: 'text', value: (i) => i.stage },
  { label: 'status', type: 'text', value: (i) => i.status, cellClass: (i) => `status-${i.status}` },
  { label: 'wall time', type: 'number', value: (i) => i.wallMs ?? null, display: (i) => formatDuration(i.wallMs ?? 0) },
];

function renderSummary(provenance: Provenance): string {
  const rows: [string, string][] = [
    ['pipeline', provenance.pipeline],
    ['pipeline file', provenance.pipelineFile],
    ['pipeline file SHA-256', provenance.pipelineHash],
    ['date', provenance.date],
    ['Node.js', provenance.node],
  ];
  return `<dl class="facts">${rows.map(([term, value]) => `<dt>${term}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

function renderPackages(packages: Record<string, string>): string {
  const names = Object.keys(packages).sort();
  if (names.length === 0) return '';
  const items = names.map((name) => `<li><code>${escapeHtml(name)}</code> ${escapeHtml(packages[name])}</li>`);
  return [
    '<h3>Packages</h3>',
    '<p class="hint">Installed versions of the npm packages that the pipeline\'s stages declare as shaping their results. Each version is part of its stages\' cache keys.</p>',
    `<ul class="packages">${items.join('')}</ul>`,
  ].join('');
}

/**
 * Renders the page-top notice of failed stage instances in red, linked to the instance list, or an
 * empty string when none failed.
 */
export function renderFailureNotice(provenance: Provenance): string {
  const failed = countInstances(provenance.instances).failed;
  if (failed === 0) return '';
  const count = failed === 1 ? '1 stage instance' : `${formatCount(failed)} stage instances`;
  return `<p class="callout notice-error" role="alert">${count} failed in this run. <a href="#provenance">See the instance list under Provenance.</a></p>`;
}

export function renderProvenanceSection(provenance: Provenance): string {
  const counts = countInstances(provenance.instances);
  const total = provenance.instances.length;
  const executedMs = provenance.instances.reduce((sum, i) => sum + (i.status === 'executed' ? (i.wallMs ?? 0) : 0), 0);
  const countText = STATUSES.map((status) => `${formatCount(counts[status])} ${status === 'cached' ? 'from cache' : status}`).join(', ');
  return [
    '<section id="provenance"><h2>Provenance</h2>',
    renderSummary(provenance),
    `<p>${formatCount(total)} stage instances: ${escapeHtml(countText)}. Executed instances took ${escapeHtml(formatDuration(executedMs))} of stage time in total.</p>`,
    renderPackages(provenance.packages),
    `<details><summary>All ${formatCount(total)} instances</summary>`,
    total === 0 ? '<p class="empty">No instances recorded.</p>' : renderSortableTable('instances-table', INSTANCE_COLUMNS, provenance.instances, 'instance id, stage or status…'),
    '</details>',
    '</section>',
  ].join('\n');
}
