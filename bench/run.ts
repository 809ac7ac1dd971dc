/**
 * `npm run bench`: measures recon against Snakemake, scikit-learn / xgboost and NumPy on this
 * machine in one run, so machine noise affects both sides alike. Prints a table, or with --json
 * one JSON object as the last stdout line; progress goes to stderr.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBenchData, writeBenchCsv } from './lib/bench-data.js';
import { describeMachine, findPython } from './lib/environment.js';
import { predictSection, recordHarnessMemory, samplerSection, trainOurs, type SectionContext } from './lib/model-sections.js';
import { bullmqSection } from './lib/bullmq-section.js';
import { REPO_DIR } from './lib/pipelines.js';
import { noopSection, quickstartSection, studySection, type PipelineContext } from './lib/pipeline-sections.js';
import { checkTargets, emptyResults, type BenchResults } from './lib/results.js';
import { renderTable } from './lib/table.js';

const SECTIONS = ['predict', 'sampler', 'noop', 'quickstart'] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench -- [options]

  --json            print one JSON object (the last stdout line) instead of the table
  --study           also time cold runs of the study pipeline at --jobs 2 and 1 (needs RECON_DATA_DIR; minutes)
  --study-pipeline <file>  pipeline for --study (default pipelines/study.yaml)
  --bullmq          also time cold runs through --executor bullmq (two local workers, redis-server on 127.0.0.1)
                    against --executor local --jobs 2 (needs /usr/bin/redis-server and RECON_DATA_DIR; minutes)
  --bullmq-pipeline <file>  pipeline for --bullmq (default: the --study pipeline)
  --repeats <n>     timed repeats per figure, reported as the median (default 5, at least 5 for published figures)
  --only <list>     comma-separated sections to run: ${SECTIONS.join(', ')} (default all)
  --no-build        run dist/bench/ as compiled, without running tsc first
  --help            print this help`;

interface Options {
  json: boolean;
  study: boolean;
  studyPipeline: string | undefined;
  bullmq: boolean;
  bullmqPipeline: string;
  repeats: number;
  sections: Set<Section>;
}

function parseOptions(argv: string[]): Options | string {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    return `${(error as Error).message}\n\n${USAGE}`;
  }
  const { values } = parsed;
  if (values.help) return USAGE;
  const repeats = Number(values.repeats ?? 5);
  if (!Number.isInteger(repeats) || repeats < 1) return `Invalid --repeats "${values.repeats}": expected a positive integer, for example 5`;
  const requested = values.only === undefined ? [...SECTIONS] : values.only.split(',').map((name) => name.trim());
  const unknown = requested.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) return `Unknown section "${unknown[0]}" in --only; valid sections: ${SECTIONS.join(', ')}`;
  const studyPipeline = values['study-pipeline'] === undefined ? undefined : resolve(values['study-pipeline']);
  if (studyPipeline !== undefined && !existsSync(studyPipeline)) return `Study pipeline not found: ${studyPipeline}; pass an existing YAML file to --study-pipeline`;
  const bullmqPipeline = values['bullmq-pipeline'] === undefined ? (studyPipeline ?? join(REPO_DIR, 'pipelines', 'study.yaml')) : resolve(values['bullmq-pipeline']);
  if (values['bullmq-pipeline'] !== undefined && !existsSync(bullmqPipeline)) return `BullMQ pipeline not found: ${bullmqPipeline}; pass an existing YAML file to --bullmq-pipeline`;
  const bullmq = values.bullmq ?? false;
  return { json: values.json ?? false, study: values.study ?? false, studyPipeline, bullmq, bullmqPipeline, repeats, sections: new Set(requested as Section[]) };
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      study: { type: 'boolean' },
      'study-pipeline': { type: 'string' },
      bullmq: { type: 'boolean' },
      'bullmq-pipeline': { type: 'string' },
      repeats: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function runModelSections(results: BenchResults, options: Options): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'recon-bench-data-'));
  try {
    const data = loadBenchData();
    results.data_source = `${data.source} (${data.n} rows, ${data.d} features)`;
    const csv = join(scratch, 'data.csv');
    await writeBenchCsv(data, csv);
    const context: SectionContext = { results, data, csv, python: findPython(['numpy', 'sklearn', 'xgboost']), repeats: options.repeats, log };
    const classifiers = await trainOurs(context);
    if (options.sections.has('predict')) await predictSection(context, classifiers);
    if (options.sections.has('sampler')) await samplerSection(context, classifiers);
    for (const classifier of Object.values(classifiers)) classifier.dispose();
    recordHarnessMemory(results);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function runPipelineSections(results: BenchResults, options: Options): Promise<void> {
  const context: PipelineContext = { results, snakemakePython: findPython(['snakemake']), repeats: options.repeats, log };
  if (options.sections.has('noop')) await noopSection(context);
  if (options.sections.has('quickstart')) await quickstartSection(context);
  if (options.study) await studySection(context, options.studyPipeline);
  if (options.bullmq) await bullmqSection(results, options.bullmqPipeline, log);
}

/** Runs the benchmark and returns the process exit code: 0 measured (targets missed included), 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === 'string') {
    const isHelp = options === USAGE;
    (isHelp ? process.stdout : process.stderr).write(`${options}\n`);
    return isHelp ? 0 : 2;
  }
  const results = emptyResults(describeMachine(), ['npm run bench --', ...argv].join(' '));
  if (options.sections.has('predict') || options.sections.has('sampler')) await runModelSections(results, options);
  await runPipelineSections(results, options);
  results.machine.loadEnd = loadavg().map((value) => Math.round(value * 100) / 100);
  checkTargets(results);
  process.stdout.write(options.json ? `${JSON.stringify(results)}\n` : `${renderTable(results)}\n`);
  return 0;
}
