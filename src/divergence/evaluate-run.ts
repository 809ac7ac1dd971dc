/**
 * The fidelity numbers of one reconstruction run: KDE and kNN divergence of the reconstructed rows
 * from the real training rows, class by class. Two reference lines use the same estimators: prior
 * draws in place of the reconstruction, and the real test split.
 */
import { InputError } from '../errors.js';
import type { DatasetFile, PriorFile, SamplerDiagnostics, SamplesFile } from '../formats.js';
import { createPrior } from '../priors/prior.js';
import type { Rng } from '../random.js';
import { classWeightedKdeKl, classWeightedKnnKl, type LabelledRows } from './fidelity.js';

export interface RunFidelity {
  klKde: number;
  klPerFeature: number[];
  klKnn: number;
  klPriorOnly: number;
  klTestFloor: number;
  klKnnPriorOnly: number;
  klKnnTestFloor: number;
  /** Prior draws with the training labels, used for the reference and for the marginal plots. */
  priorDraws: LabelledRows;
  warnings: string[];
}

/**
 * Draws one prior row per training row and gives it that row's label, so each class of the prior
 * reference has as many rows as the class has in training. The KDE's smoothing bias depends on
 * the sample size, so the reference must use the same sizes as the reconstruction.
 */
export function drawPriorRows(prior: PriorFile, train: DatasetFile['train'], d: number, rng: Rng): LabelledRows {
  const evaluable = createPrior(prior.features);
  const x = new Float32Array(train.n * d);
  for (let row = 0; row < train.n; row++) evaluable.sample(rng, x, row);
  return { x, y: train.y, n: train.n, d };
}

/**
 * Raises InputError when the reconstruction or the prior does not fit the dataset (a pipeline that
 * wires instances of different datasets together) or when a reconstructed value is not finite.
 */
function checkInputs(dataset: DatasetFile, samples: SamplesFile, prior: PriorFile): void {
  const d = dataset.features.length;
  const hint = 'wire evaluate-kld to the data, samples, prior and model instances of one dataset (same foreach axes)';
  if (samples.d !== d || samples.x.length !== samples.n * d || samples.y.length !== samples.n) {
    throw new InputError(`The reconstruction has ${samples.n} rows of ${samples.d} features (${samples.x.length} values), but dataset ${dataset.name} has ${d} features.`, { value: String(samples.d), hint });
  }
  if (prior.features.length !== d) {
    throw new InputError(`The prior has ${prior.features.length} features, but dataset ${dataset.name} has ${d}.`, { value: String(prior.features.length), hint });
  }
  const bad = samples.x.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    const row = Math.floor(bad / d);
    throw new InputError(`Reconstructed row ${row}, feature ${dataset.features[bad % d]} is ${samples.x[bad]}; every value must be a finite number.`, {
      value: String(samples.x[bad]),
      hint: 'rerun the sample stage; a non-finite row means the sampler diverged',
    });
  }
  const classes = dataset.classes.length;
  const badLabel = samples.y.findIndex((label) => !(Number.isInteger(label) && label >= 0 && label < classes));
  if (badLabel >= 0) {
    throw new InputError(`Reconstructed row ${badLabel} has class index ${samples.y[badLabel]}, but dataset ${dataset.name} has ${classes} classes.`, { value: String(samples.y[badLabel]), hint });
  }
}

/**
 * Computes every fidelity number of one run. `rng` seeds the prior draws; `k` is the kNN
 * neighbour rank.
 */
export function evaluateRun(dataset: DatasetFile, samples: SamplesFile, prior: PriorFile, rng: Rng, k: number): RunFidelity {
  checkInputs(dataset, samples, prior);
  const d = dataset.features.length;
  const K = dataset.classes.length;
  const real: LabelledRows = { ...dataset.train, d };
  const test: LabelledRows = { ...dataset.test, d };
  const reconstructed: LabelledRows = { x: samples.x, y: samples.y, n: samples.n, d };
  const priorDraws = drawPriorRows(prior, dataset.train, d, rng);

  const kde = classWeightedKdeKl(real, reconstructed, K);
  const warnings: string[] = [];
  if (kde.missingClasses.length > 0) {
    const names = kde.missingClasses.map((label) => dataset.classes[label]).join(', ');
    warnings.push(`the reconstruction has no rows of class ${names}; KL averages over the other classes`);
  }
  return {
    klKde: kde.mean,
    klPerFeature: kde.perFeature,
    klKnn: classWeightedKnnKl(real, reconstructed, K, k),
    klPriorOnly: classWeightedKdeKl(real, priorDraws, K).mean,
    klTestFloor: classWeightedKdeKl(real, test, K).mean,
    klKnnPriorOnly: classWeightedKnnKl(real, priorDraws, K, k),
    klKnnTestFloor: classWeightedKnnKl(real, test, K, k),
    priorDraws,
    warnings,
  };
}

/** Sampler summary copied into kld.json: mean acceptance, worst R-hat and smallest ESS. */
export function summarizeDiagnostics(diagnostics: SamplerDiagnostics): { acceptance: number; rhatMax: number | null; essMin: number | null } {
  const acceptance = diagnostics.acceptance.reduce((sum, value) => sum + value, 0) / diagnostics.acceptance.length;
  const rhat = diagnostics.rhat.flat().filter(Number.isFinite);
  const ess = diagnostics.ess.flat().filter(Number.isFinite);
  return {
    acceptance,
    rhatMax: rhat.length > 0 ? Math.max(...rhat) : null,
    essMin: ess.length > 0 ? Math.min(...ess) : null,
  };
}
