/**
 * File formats that stages of the reconstruction study exchange. Each stage writes the named
 * files into its output directory, and downstream stages read them through their inputs.
 * All feature values are in standardized space (training mean 0, standard deviation 1) unless a
 * field's doc states otherwise. Matrices are row-major flat arrays.
 */

/** One split of a dataset. */
export interface SplitData {
  /** Number of rows. */
  n: number;
  /** Standardized features, row-major, n * d values. */
  x: number[];
  /** Class index of each row, into DatasetFile.classes. */
  y: number[];
}

/** `dataset.json`, written by the ingest stage. */
export interface DatasetFile {
  name: string;
  /** Feature names after dropped and constant columns are removed, in column order. */
  features: string[];
  /** Class labels; class index i is classes[i]. */
  classes: string[];
  train: SplitData;
  test: SplitData;
  /** Training mean and standard deviation per feature, in original units. */
  scaler: { mean: number[]; std: number[] };
  summary: IngestSummary;
}

export interface IngestSummary {
  source: string;
  sha256: string;
  rowsRead: number;
  /** Rows removed or changed per rule, for example `{ rule: 'missing-drop', rows: 6 }`. */
  rules: { rule: string; rows: number; detail?: string }[];
  droppedColumns: { column: string; reason: string }[];
  classCounts: { train: number[]; test: number[] };
  featureStats: { name: string; mean: number; std: number; min: number; max: number }[];
}

/**
 * `metrics.json`, written by train-base and train-synthetic. Training time is not here but in the
 * stage's metrics (run record and log), so that the file is byte-identical across reruns.
 */
export interface ModelMetrics {
  family: string;
  /** Accuracy on the real test set, in [0, 1]. */
  accuracy: number;
  macroF1: number;
  /** confusion[true][predicted], counts on the real test set. */
  confusion: number[][];
  /** Fraction of training labels that label noise replaced (0 for synthetic models). */
  labelNoise: number;
}

/** `synthetic.json`, written by train-synthetic. */
export interface SyntheticResult extends ModelMetrics {
  baseAccuracy: number;
  /** accuracy / baseAccuracy. */
  accuracyRatio: number;
}

/** Per-feature prior density in standardized space. */
export type FeaturePrior =
  | { kind: 'gaussian'; mean: number; sd: number }
  | { kind: 'uniform'; lo: number; hi: number }
  /** Log density tabulated on an even grid from lo to hi; outside it the density is taken as 0. */
  | { kind: 'empirical'; lo: number; hi: number; logDensity: number[] };

/** `prior.json`, written by choose-prior. */
export interface PriorFile {
  kind: 'gaussian' | 'uniform' | 'empirical';
  /** The prior's configuration as given in the pipeline, for example `{ kind: 'gaussian', shift: 1 }`. */
  config: { [key: string]: number | string };
  features: FeaturePrior[];
  /** E_π = mean over features of KL(training marginal || prior), in nats. */
  priorError: number;
  /** A_π = exp(-E_π), in (0, 1]. */
  priorAccuracy: number;
  perFeatureError: number[];
}

/** `samples.json`, written by sample. */
export interface SamplesFile {
  sampler: 'mh' | 'rejection';
  /** Reconstructed rows, standardized, row-major n * d. */
  x: number[];
  /** Class index of each reconstructed row. */
  y: number[];
  n: number;
  d: number;
}

/**
 * `diagnostics.json`, written by sample. Wall time is in the stage's metrics (run record and log),
 * not here, so that the file is byte-identical across reruns.
 */
export interface SamplerDiagnostics {
  sampler: 'mh' | 'rejection';
  /** Acceptance rate per class (proposal acceptance for mh, draw acceptance for rejection). */
  acceptance: number[];
  /** Number of rows passed to predictProba, summed over calls. */
  modelRows: number;
  modelCalls: number;
  /** Rank-normalised split R-hat per class and feature (Vehtari et al. 2021); empty for rejection. */
  rhat: number[][];
  /** Bulk effective sample size per class and feature; empty for rejection. */
  ess: number[][];
  /** Final proposal step size per class (mh only). */
  stepSize: number[];
  warnings: string[];
}

/** `kld.json`, written by evaluate-kld: one run's fidelity and everything correlate needs. */
export interface KldResult {
  /** Mean over features of per-feature KDE KL, classes weighted by training share, in nats. */
  klKde: number;
  /** Per feature, class-weighted KDE KL in nats, in DatasetFile.features order. */
  klPerFeature: number[];
  /** Joint kNN KL (Wang, Kulkarni and Verdú 2009), class-weighted, in nats. */
  klKnn: number;
  /** KL(real train || prior draws), the same KDE estimator. */
  klPriorOnly: number;
  /** KL(real train || real test), the estimator's noise floor. */
  klTestFloor: number;
  baseAccuracy: number;
  priorError: number;
  priorAccuracy: number;
  acceptance: number;
  rhatMax: number | null;
  essMin: number | null;
  sampler: string;
  /** Joint kNN KL(real train || prior draws) and KL(real train || real test), class-weighted. */
  klKnnPriorOnly: number;
  klKnnTestFloor: number;
  /** DatasetFile.name of the ingest input. */
  dataset: string;
  /** Model family of the base model (ModelMetrics.family). */
  family: string;
  /** Fraction of training labels replaced by label noise in the base model. */
  labelNoise: number;
  /** Prior kind with its shift and scale; shift and scale are null unless the kind is gaussian. */
  prior: { kind: string; shift: number | null; scale: number | null };
  /** Sampler warnings copied from diagnostics.json, plus this stage's own. */
  warnings: string[];
}

/** `marginals.json`, written by evaluate-kld: densities to plot for one run. */
export interface MarginalsFile {
  features: {
    name: string;
    /** Grid in original units. */
    grid: number[];
    real: number[];
    reconstructed: number[];
    prior: number[];
  }[];
}

/** One row of `results.csv`; the listed snake_case columns are a contract for other tools. */
export interface ResultRow {
  run_id: string;
  dataset: string;
  family: string;
  label_noise: number;
  prior: string;
  prior_shift: number | null;
  prior_scale: number | null;
  seed: number;
  sampler: string;
  base_accuracy: number;
  prior_error: number;
  prior_accuracy: number;
  kl_kde: number;
  kl_knn: number;
  kl_prior_only: number;
  kl_test_floor: number;
  synthetic_accuracy: number;
  synthetic_ratio: number;
  acceptance: number;
  rhat_max: number | null;
  ess_min: number | null;
  /** kNN reference lines, written after the contract columns. */
  kl_knn_prior_only?: number;
  kl_knn_test_floor?: number;
}

/** One row of `correlations.csv`. `dataset` and `family` are 'all' for pooled rows. */
export interface CorrelationRow {
  dataset: string;
  family: string;
  x: string;
  y: string;
  n: number;
  pearson_r: number | null;
  pearson_lo: number | null;
  pearson_hi: number | null;
  spearman_rho: number | null;
  spearman_lo: number | null;
  spearman_hi: number | null;
}

/** Coefficient of a least-squares fit with its 95% confidence interval. */
export interface Coefficient {
  estimate: number;
  lo: number;
  hi: number;
}

/** Whether the signs the theory predicts hold for one group of runs. */
export interface SignCheck {
  dataset: string;
  family: string;
  n: number;
  /** KL ~ A_π + A_f: both coefficients expected negative. */
  klOnPriorAccuracy: Coefficient | null;
  klOnModelAccuracy: Coefficient | null;
  /** A_s ~ A_f: slope expected positive. */
  syntheticOnBase: Coefficient | null;
  /** True when every estimate has the predicted sign; null when there are too few runs to fit. */
  agrees: boolean | null;
  note?: string;
}

/** `report-data.json`, written by correlate and rendered by the report. */
export interface ReportData {
  results: ResultRow[];
  correlations: CorrelationRow[];
  signChecks: SignCheck[];
  /** Per dataset, per-feature KL of each run, for the heat map. */
  featureKl: { dataset: string; features: string[]; runs: { runId: string; values: number[] }[] }[];
  /** For one chosen run per dataset, the marginal densities of real, reconstructed and prior samples. */
  marginals: { dataset: string; runId: string; marginals: MarginalsFile }[];
  /** Sampler warnings per run. */
  diagnostics: { runId: string; warnings: string[] }[];
}
