/**
 * After a successful run of a pipeline with `report: <stage>`, renders that stage's
 * `report-data.json` into artifacts/<pipeline>/ with the report module, if it is installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordSummary } from './cache/run-record.js';
import type { Dag } from './dag.js';
import type { EventSink, InstanceStatus } from './event.js';
import type { Provenance } from './report/write-report.js';
import { installedVersion } from './hashing.js';
import type { ReportData } from './formats.js';

interface RunResult {
  records: Map<string, RecordSummary>;
  statuses: Map<string, InstanceStatus>;
}

type WriteReport = (data: ReportData, provenance: Provenance, outDir: string) => Promise<{ html: string; svgs: string[] }>;

/**
 * Writes the report when its stage is up to date, even if other branches failed: their failures
 * appear in the provenance. Emits report-skipped instead when the stage did not complete or the
 * report module or data is missing, and then leaves any earlier report in place.
 */
export async function writePipelineReport(dag: Dag, result: RunResult, dirs: { cacheDir: string; artifactsDir: string }, emit: EventSink): Promise<void> {
  const stage = dag.pipeline.report!;
  const instance = dag.byStage.get(stage)?.[0];
  const record = instance ? result.records.get(instance.id) : undefined;
  if (record === undefined) {
    const status = instance ? result.statuses.get(instance.id) : undefined;
    return emit({ type: 'report-skipped', reason: `stage ${stage} ${STATUS_TEXT[status ?? 'unselected']}. The previous report, if any, is left in place` });
  }
  const module = new URL('./report/write-report.js', import.meta.url);
  if (!existsSync(module)) return emit({ type: 'report-skipped', reason: 'the report module (src/report/write-report.ts) is not built' });
  if (record.outputs['report-data.json'] === undefined) return emit({ type: 'report-skipped', reason: `${instance!.id} wrote no report-data.json` });
  const data = JSON.parse(readFileSync(join(dirs.cacheDir, 'out', record.key, 'report-data.json'), 'utf8')) as ReportData;
  const { writeReport } = (await import(module.href)) as { writeReport: WriteReport };
  const { html } = await writeReport(data, provenance(dag, result), resolve(dirs.artifactsDir, dag.pipeline.name));
  emit({ type: 'report-written', html });
}

/** Reason the report's stage has no record, by its status in this run. */
const STATUS_TEXT: Record<InstanceStatus | 'unselected', string> = {
  executed: 'has no run record',
  cached: 'has no run record',
  failed: 'failed',
  skipped: 'was skipped because an input failed or the run stopped',
  interrupted: 'was interrupted',
  unselected: 'was not selected by --only',
};

function provenance(dag: Dag, result: RunResult): Provenance {
  const libraries = new Set<string>();
  for (const instance of dag.instances) for (const name of instance.kind?.definition.libraries ?? []) libraries.add(name);
  return {
    pipeline: dag.pipeline.name,
    pipelineFile: dag.pipeline.file,
    pipelineHash: dag.pipeline.hash,
    date: new Date().toISOString(),
    node: process.version,
    packages: Object.fromEntries([...libraries].sort().map((name) => [name, installedVersion(name)])),
    instances: dag.instances.map((instance) => ({
      id: instance.id,
      stage: instance.stage.name,
      // The report's status list has no `interrupted`; an interrupted run writes no report anyway.
      status: reportStatus(result.statuses.get(instance.id)),
      wallMs: result.statuses.get(instance.id) === 'executed' ? result.records.get(instance.id)?.timings.wallMs : undefined,
    })),
  };
}

function reportStatus(status: InstanceStatus | undefined): Provenance['instances'][number]['status'] {
  if (status === undefined) return 'skipped';
  return status === 'interrupted' ? 'failed' : status;
}
