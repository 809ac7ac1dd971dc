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

/** Writes the report; emits report-skipped instead when the report module or data is missing. */
export async function writePipelineReport(dag: Dag, result: RunResult, dirs: { cacheDir: string; artifactsDir: string }, emit: EventSink): Promise<void> {
  const stage = dag.pipeline.report!;
  const instance = dag.byStage.get(stage)?.[0];
  const record = instance ? result.records.get(instance.id) : undefined;
  if (record === undefined) return emit({ type: 'report-skipped', reason: `stage ${stage} did not complete` });
  const module = new URL('./report/write-report.js', import.meta.url);
  if (!existsSync(module)) return emit({ type: 'report-skipped', reason: 'the report module (src/report/write-report.ts) is not built' });
  if (record.outputs['report-data.json'] === undefined) return emit({ type: 'report-skipped', reason: `${instance!.id} wrote no report-data.json` });
  const data = JSON.parse(readFileSync(join(dirs.cacheDir, 'out', record.key, 'report-data.json'), 'utf8')) as ReportData;
  const { writeReport } = (await import(module.href)) as { writeReport: WriteReport };
  const { html } = await writeReport(data, provenance(dag, result), resolve(dirs.artifactsDir, dag.pipeline.name));
  emit({ type: 'report-written', html });
}

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
      status: result.statuses.get(instance.id) ?? 'skipped',
      wallMs: result.statuses.get(instance.id) === 'executed' ? result.records.get(instance.id)?.timings.wallMs : undefined,
    })),
  };
}
