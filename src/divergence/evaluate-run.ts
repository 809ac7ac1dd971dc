/**
 * The fidelity numbers of one reconstruction run: KDE and kNN divergence of the reconstructed rows
 * from the real training rows, class by class, with two reference lines measured by the same
 * estimators (prior draws in place of the reconstruction, and the real test split).
 */
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
 * reference has exactly as many rows as the class has in training (the KDE's smoothing bias
 * depends on the sample size, so the reference uses the same sizes as the reconstruction).
 */
export function drawPriorRows(prior: PriorFile, train: DatasetFile['train'], d: number, rng: Rng): LabelledRows {
  const evaluable = createPrior(prior.features);
  const x = new Float32Array(train.n * d);
  for (let row = 0; row < train.n; row++) evaluable.sample(rng, x, row);
  return { x, y: train.y, n: train.n, d };
}

/** Computes every fidelity number of one run. `rng` seeds the prior draws. */
export function evaluateRun(dataset: DatasetFile, samples: SamplesFile, prior: PriorFile, rng: Rng, k: number): RunFidelity {
  const d = dataset.features.length;
  if (samples.d !== d) {
    throw new Error(`Internal error: samples have ${samples.d} features but the dataset has ${d}; the inputs come from different datasets`);
  }
  if (prior.features.length !== d) {
    throw new Error(`Internal error: the prior has ${prior.features.length} features but the dataset has ${d}`);
  }
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
