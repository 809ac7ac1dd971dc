/**
 * Ordinary least squares with an intercept, by modified Gram-Schmidt QR of the design matrix, with
 * classical standard errors and t-based 95% confidence intervals for every coefficient.
 */
import { studentTQuantile } from './distributions.js';

/** A fitted coefficient: estimate, standard error and 95% interval estimate ± t(0.975, n - p) se. */
export interface FittedCoefficient {
  name: string;
  estimate: number;
  se: number;
  lo: number;
  hi: number;
}

export interface OlsFit {
  n: number;
  /** Residual degrees of freedom n - p, with p counting the intercept. */
  df: number;
  /** Intercept first, then one per predictor in the given order. */
  coefficients: FittedCoefficient[];
  /** Residual variance: residual sum of squares / df. */
  sigma2: number;
}

export interface OlsFailure {
  n: number;
  note: string;
}

export type OlsResult = OlsFit | OlsFailure;

export function isFit(result: OlsResult): result is OlsFit {
  return 'coefficients' in result;
}

/** Relative column norm below which a column counts as a linear combination of earlier ones. */
const RANK_TOLERANCE = 1e-10;

function euclideanNorm(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

/** Factorizes the n x p design (column-major) into Q (overwriting it) and upper-triangular R. */
function factorize(columns: Float64Array[]): { q: Float64Array[]; r: Float64Array[] } | string {
  const p = columns.length;
  const r = Array.from({ length: p }, () => new Float64Array(p));
  for (let j = 0; j < p; j++) {
    const v = columns[j];
    const originalNorm = euclideanNorm(v);
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let row = 0; row < v.length; row++) dot += columns[i][row] * v[row];
      r[i][j] = dot;
      for (let row = 0; row < v.length; row++) v[row] -= dot * columns[i][row];
    }
    const norm = euclideanNorm(v);
    if (!(norm > 0 && norm > RANK_TOLERANCE * originalNorm)) return `column ${j} is constant or collinear with earlier columns`;
    r[j][j] = norm;
    for (let row = 0; row < v.length; row++) v[row] /= norm;
  }
  return { q: columns, r };
}

/** Inverts an upper-triangular matrix by back substitution. */
function invertUpper(r: Float64Array[]): Float64Array[] {
  const p = r.length;
  const inverse = Array.from({ length: p }, () => new Float64Array(p));
  for (let j = 0; j < p; j++) {
    inverse[j][j] = 1 / r[j][j];
    for (let i = j - 1; i >= 0; i--) {
      let sum = 0;
      for (let k = i + 1; k <= j; k++) sum += r[i][k] * inverse[k][j];
      inverse[i][j] = -sum / r[i][i];
    }
  }
  return inverse;
}

/**
 * Fits y = b0 + Σ_k b_k x_k by least squares. `predictors` maps a name to its column of n values.
 * Returns a failure with a note when n ≤ p (no residual degrees of freedom) or when a predictor is
 * constant or collinear with the others.
 */
export function ols(y: ArrayLike<number>, predictors: Record<string, ArrayLike<number>>): OlsResult {
  const n = y.length;
  const names = ['intercept', ...Object.keys(predictors)];
  const p = names.length;
  if (n <= p) return { n, note: `too few runs to fit ${p} coefficients (n = ${n}, need at least ${p + 1})` };
  const columns = [new Float64Array(n).fill(1)];
  for (const name of names.slice(1)) {
    const values = predictors[name];
    if (values.length !== n) throw new RangeError(`predictor ${name} has ${values.length} values, expected ${n}`);
    columns.push(Float64Array.from(values));
  }
  const factors = factorize(columns);
  if (typeof factors === 'string') return { n, note: factors.replace(/column (\d+)/, (_, j) => `predictor ${names[Number(j)]}`) };
  const { q, r } = factors;

  // Solve R b = Q' y, then residuals e = y - Q Q' y.
  const qty = q.map((col) => col.reduce((sum, value, row) => sum + value * y[row], 0));
  const rInverse = invertUpper(r);
  const estimates = names.map((_, i) => rInverse[i].reduce((sum, value, k) => sum + value * qty[k], 0));
  let rss = 0;
  for (let row = 0; row < n; row++) {
    let fitted = 0;
    for (let k = 0; k < p; k++) fitted += q[k][row] * qty[k];
    rss += (y[row] - fitted) ** 2;
  }
  const df = n - p;
  const sigma2 = rss / df;
  const t = studentTQuantile(0.975, df);
  // Var(b) = σ² (R'R)^-1 = σ² R^-1 R^-T, so Var(b_i) = σ² Σ_k (R^-1)_ik².
  const coefficients = names.map((name, i) => {
    const se = Math.sqrt(sigma2 * rInverse[i].reduce((sum, value) => sum + value * value, 0));
    return { name, estimate: estimates[i], se, lo: estimates[i] - t * se, hi: estimates[i] + t * se };
  });
  return { n, df, coefficients, sigma2 };
}
