/**
 * Stage `choose-prior`: builds the product prior over standardized features that the sampler
 * assumes, and measures its error against the training marginals (E_π and A_π = exp(-E_π)).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetFile, PriorFile } from '../src/formats.js';
import { checkParam } from '../src/config/param-path.js';
import { buildPriorFile } from '../src/priors/build.js';
import { parsePriorConfig } from '../src/priors/config.js';
import { readInputJson, singleInput, type JsonObject, type StageDefinition } from '../src/stage-api.js';

interface ChoosePriorParams extends JsonObject {
  prior: JsonObject | string;
  dataset: string;
  seed: number;
}

const choosePrior: StageDefinition<ChoosePriorParams> = {
  kind: 'choose-prior',
  description: 'Builds the assumed feature prior (gaussian, uniform or empirical) and its prior error E_π',
  params: {
    prior: {
      type: 'any',
      description: 'Prior configuration: { kind: gaussian, shift, scale }, { kind: uniform, margin } or { kind: empirical, points }',
      default: '${prior}',
    },
    dataset: {
      type: 'string',
      description: 'Dataset name; with the seed it fixes the signs of gaussian prior shifts',
      default: '${dataset}',
    },
    seed: { type: 'integer', description: 'Seed; with the dataset it fixes the signs of gaussian prior shifts', default: '${seed ?? 0}' },
  },
  inputs: {
    data: { description: 'Ingest instance: dataset.json with standardized training rows' },
  },
  validate(params) {
    checkParam('prior', params.prior, () => parsePriorConfig(params.prior));
  },
  async run(params, inputs, ctx) {
    const config = parsePriorConfig(params.prior);
    const dataset = await readInputJson<DatasetFile>(singleInput(inputs, 'data'), 'dataset.json');
    const rows = { x: dataset.train.x, n: dataset.train.n, d: dataset.features.length };
    const prior: PriorFile = buildPriorFile(config, rows, params.dataset, params.seed);
    await writeFile(join(ctx.outDir, 'prior.json'), `${JSON.stringify(prior)}\n`);

    const perFeature = prior.perFeatureError
      .map((error, j) => `${dataset.features[j]} ${error.toFixed(3)}`)
      .join(', ');
    ctx.log(`${config.kind} prior: E_π = ${prior.priorError.toFixed(4)} nats, A_π = ${prior.priorAccuracy.toFixed(4)}; per feature: ${perFeature}`);
    return { metrics: { priorError: prior.priorError, priorAccuracy: prior.priorAccuracy } };
  },
};

export default choosePrior;
