/**
 * Stage `evaluate-kld`: fidelity of one reconstruction. Compares the reconstructed rows of each
 * class with the real training rows of that class by per-feature KDE KL and joint kNN KL, with
 * classes weighted by training share. The same estimators run on prior draws and on the real test
 * split give reference lines. Also tabulates marginal densities for plotting.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../src/errors.js';
import { evaluateRun, summarizeDiagnostics } from '../src/divergence/evaluate-run.js';
import { DEFAULT_KNN_K } from '../src/divergence/knn.js';
import { marginalCurves } from '../src/divergence/marginals.js';
import type { DatasetFile, KldResult, ModelMetrics, PriorFile, SamplerDiagnostics, SamplesFile } from '../src/formats.js';
import { readInputJson, singleInput, type JsonObject, type StageDefinition } from '../src/stage-api.js';

interface EvaluateKldParams extends JsonObject {
  k: number;
  seed: number;
}

/** Prior kind with gaussian shift and scale (defaults 0 and 1); null for other kinds. */
function describePrior(prior: PriorFile): KldResult['prior'] {
  if (prior.kind !== 'gaussian') return { kind: prior.kind, shift: null, scale: null };
  const shift = prior.config.shift;
  const scale = prior.config.scale;
  return {
    kind: prior.kind,
    shift: typeof shift === 'number' ? shift : 0,
    scale: typeof scale === 'number' ? scale : 1,
  };
}

const evaluateKld: StageDefinition<EvaluateKldParams> = {
  kind: 'evaluate-kld',
  description: 'KL divergence between real and reconstructed training rows per class (KDE per feature and joint kNN), with prior-only and test-split reference lines',
  params: {
    k: { type: 'integer', description: 'Neighbour rank k of the kNN KL estimator', default: DEFAULT_KNN_K, minimum: 1 },
    seed: { type: 'integer', description: 'Seed of the prior draws used for the prior-only reference', default: '${seed ?? 0}' },
  },
  inputs: {
    data: { description: 'Ingest instance: dataset.json with standardized training and test rows' },
    samples: { description: 'Sample instance: samples.json (reconstructed rows) and diagnostics.json' },
    prior: { description: 'Choose-prior instance: prior.json' },
    model: { description: 'Train-base instance: metrics.json (base accuracy, family, label noise)' },
  },
  cpu: true,
  async run(params, inputs, ctx) {
    const samplesRef = singleInput(inputs, 'samples');
    const dataset = await readInputJson<DatasetFile>(singleInput(inputs, 'data'), 'dataset.json');
    const samples = await readInputJson<SamplesFile>(samplesRef, 'samples.json');
    const diagnostics = await readInputJson<SamplerDiagnostics>(samplesRef, 'diagnostics.json');
    const prior = await readInputJson<PriorFile>(singleInput(inputs, 'prior'), 'prior.json');
    const metrics = await readInputJson<ModelMetrics>(singleInput(inputs, 'model'), 'metrics.json');

    if (!(Number.isInteger(params.k) && params.k >= 1)) {
      throw new InputError(`Invalid evaluate-kld param k ${JSON.stringify(params.k)}: expected an integer >= 1.`, {
        value: JSON.stringify(params.k),
        hint: `set k to a small integer such as ${DEFAULT_KNN_K}, the neighbour rank of the kNN KL estimator`,
      });
    }
    ctx.progress(0, 2);
    const fidelity = evaluateRun(dataset, samples, prior, ctx.rng('prior-draws'), params.k);
    for (const warning of fidelity.warnings) ctx.warn(warning);
    ctx.progress(1, 2);

    const result: KldResult = {
      klKde: fidelity.klKde,
      klPerFeature: fidelity.klPerFeature,
      klKnn: fidelity.klKnn,
      klPriorOnly: fidelity.klPriorOnly,
      klTestFloor: fidelity.klTestFloor,
      baseAccuracy: metrics.accuracy,
      priorError: prior.priorError,
      priorAccuracy: prior.priorAccuracy,
      ...summarizeDiagnostics(diagnostics),
      sampler: samples.sampler,
      klKnnPriorOnly: fidelity.klKnnPriorOnly,
      klKnnTestFloor: fidelity.klKnnTestFloor,
      dataset: dataset.name,
      family: metrics.family,
      labelNoise: metrics.labelNoise,
      prior: describePrior(prior),
      warnings: [...diagnostics.warnings, ...fidelity.warnings],
    };
    const d = dataset.features.length;
    const marginals = marginalCurves(
      { real: dataset.train.x, reconstructed: samples.x, prior: fidelity.priorDraws.x },
      d,
      dataset.features,
      dataset.scaler,
    );
    await writeFile(join(ctx.outDir, 'kld.json'), `${JSON.stringify(result)}\n`);
    await writeFile(join(ctx.outDir, 'marginals.json'), `${JSON.stringify(marginals)}\n`);
    ctx.progress(2, 2);

    ctx.log(
      `KL(real || reconstructed): KDE ${fidelity.klKde.toFixed(4)} nats, kNN ${fidelity.klKnn.toFixed(4)} nats; ` +
        `references: prior only ${fidelity.klPriorOnly.toFixed(4)}, test split ${fidelity.klTestFloor.toFixed(4)} (KDE)`,
    );
    return { metrics: { klKde: fidelity.klKde, klKnn: fidelity.klKnn } };
  },
};

export default evaluateKld;
