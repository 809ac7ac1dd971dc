/**
 * Stage `correlate`: joins every reconstruction run (evaluate-kld) with its synthetic model
 * (train-synthetic) and writes one row per run to `results.csv`. The correlations of the theory's
 * variable pairs go to `correlations.csv`. `report-data.json` contains everything the report
 * renders: rows, correlations, least-squares sign checks, per-feature KL, marginal curves of one
 * run per dataset and sampler warnings.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../src/errors.js';
import type { KldResult, MarginalsFile, ReportData, ResultRow, SyntheticResult } from '../src/formats.js';
import {
  CORRELATION_COLUMNS,
  EXTRA_RESULT_COLUMNS,
  RESULT_COLUMNS,
  csvRecord,
  matchSynthetic,
  resultRow,
} from '../src/statistics/results.js';
import { correlationTable, signCheckTable } from '../src/statistics/study-tables.js';
import { manyInputs, readInputJson, type InputRef, type JsonObject, type StageDefinition } from '../src/stage-api.js';

interface CorrelateParams extends JsonObject {
  seed: number;
  showRun: string;
}

interface Run {
  ref: InputRef;
  kld: KldResult;
  row: ResultRow;
}

/** Writes rows as CSV with arquero (loaded lazily: the engine imports every stage module). */
async function writeCsv(path: string, rows: object[], columns: readonly string[]): Promise<void> {
  const aq = await import('arquero');
  const records = rows.map((row) => csvRecord(row, columns));
  const table = records.length > 0 ? aq.from(records) : aq.table(Object.fromEntries(columns.map((column) => [column, []])));
  await writeFile(path, `${table.select([...columns]).toCSV()}\n`);
}

/**
 * Returns the run whose marginals the report shows for one dataset: the first run (by id) that
 * contains `showRun`, else the first gaussian run with shift 0 and no label noise, else the first.
 */
function chooseShownRun(runs: Run[], showRun: string): Run {
  if (showRun !== '') {
    const match = runs.find((run) => run.ref.id.includes(showRun));
    if (match) return match;
  }
  const reference = runs.find((run) => run.row.prior === 'gaussian' && run.row.prior_shift === 0 && run.row.label_noise === 0);
  return reference ?? runs[0];
}

/** Raises InputError when `showRun` is set but matches no run at all, listing a few ids to choose from. */
function checkShowRun(runs: Run[], showRun: string): void {
  if (showRun === '' || runs.some((run) => run.ref.id.includes(showRun))) return;
  const examples = runs.slice(0, 3).map((run) => run.ref.id).join(', ');
  throw new InputError(`Invalid correlate param showRun "${showRun}": it is not part of any evaluate-kld instance id.`, {
    value: showRun,
    hint: `use a part of an instance id such as ${examples}, or leave showRun empty for the default run`,
  });
}

async function readMarginals(run: Run): Promise<MarginalsFile | null> {
  return run.ref.files['marginals.json'] === undefined ? null : readInputJson<MarginalsFile>(run.ref, 'marginals.json');
}

/** Builds the per-dataset sections of the report: per-feature KL of every run and the shown run's marginals. */
async function datasetSections(runs: Run[], showRun: string): Promise<Pick<ReportData, 'featureKl' | 'marginals'>> {
  const featureKl: ReportData['featureKl'] = [];
  const marginals: ReportData['marginals'] = [];
  for (const dataset of [...new Set(runs.map((run) => run.row.dataset))].sort()) {
    const ofDataset = runs.filter((run) => run.row.dataset === dataset);
    const shown = chooseShownRun(ofDataset, showRun);
    const curves = await readMarginals(shown);
    if (curves) marginals.push({ dataset, runId: shown.ref.id, marginals: curves });
    const d = shown.kld.klPerFeature.length;
    const features = curves ? curves.features.map((feature) => feature.name) : Array.from({ length: d }, (_, j) => `feature ${j + 1}`);
    featureKl.push({ dataset, features, runs: ofDataset.map((run) => ({ runId: run.ref.id, values: run.kld.klPerFeature })) });
  }
  return { featureKl, marginals };
}

function compareIds(a: InputRef, b: InputRef): number {
  if (a.id < b.id) return -1;
  return a.id > b.id ? 1 : 0;
}

async function loadRuns(runRefs: InputRef[], syntheticRefs: InputRef[]): Promise<Run[]> {
  // Code-unit order, not localeCompare, so the row order is the same on every machine.
  const sorted = [...runRefs].sort(compareIds);
  const matches = matchSynthetic(sorted, syntheticRefs);
  const runs: Run[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const kld = await readInputJson<KldResult>(sorted[i], 'kld.json');
    const synthetic = await readInputJson<SyntheticResult>(matches[i], 'synthetic.json');
    runs.push({ ref: sorted[i], kld, row: resultRow(sorted[i], kld, synthetic) });
  }
  return runs;
}

const correlate: StageDefinition<CorrelateParams> = {
  kind: 'correlate',
  description: 'Joins all runs into results.csv, correlates KL, prior, model and synthetic accuracy, and checks the predicted signs',
  params: {
    seed: { type: 'integer', description: 'Seed of the Spearman bootstrap intervals', default: 0 },
    showRun: {
      type: 'string',
      description: 'Part of an evaluate-kld instance id whose marginal densities the report shows per dataset; empty picks the gaussian shift-0 run without label noise',
      default: '',
    },
  },
  inputs: {
    runs: { description: 'Every evaluate-kld instance: kld.json and marginals.json', many: true },
    synthetic: { description: 'Every train-synthetic instance, matched to runs by matrix coordinates: synthetic.json', many: true },
  },
  libraries: ['arquero'],
  async run(params, inputs, ctx) {
    const runs = await loadRuns(manyInputs(inputs, 'runs'), manyInputs(inputs, 'synthetic'));
    if (runs.length === 0) {
      throw new InputError('correlate received no evaluate-kld instances.', { hint: 'wire correlate with { runs: evaluate-kld[*], synthetic: train-synthetic[*] }' });
    }
    checkShowRun(runs, params.showRun);
    const rows = runs.map((run) => run.row);
    const correlations = correlationTable(rows, params.seed);
    const signChecks = signCheckTable(rows);
    const report: ReportData = {
      results: rows,
      correlations,
      signChecks,
      ...(await datasetSections(runs, params.showRun)),
      diagnostics: runs.map((run) => ({ runId: run.ref.id, warnings: run.kld.warnings ?? [] })),
    };
    await writeCsv(join(ctx.outDir, 'results.csv'), rows, [...RESULT_COLUMNS, ...EXTRA_RESULT_COLUMNS]);
    await writeCsv(join(ctx.outDir, 'correlations.csv'), correlations, CORRELATION_COLUMNS);
    await writeFile(join(ctx.outDir, 'report-data.json'), `${JSON.stringify(report, null, 1)}\n`);

    const agreeing = signChecks.filter((check) => check.agrees === true).length;
    ctx.log(`${rows.length} runs, ${correlations.length} correlation rows; signs agree in ${agreeing} of ${signChecks.length} groups`);
    return { metrics: { runs: rows.length, signChecksAgreeing: agreeing, signChecks: signChecks.length } };
  },
};

export default correlate;
