import { normalQuantile } from './stats';

export interface LogisticOptions {
  /** L2 penalty λ on the standardised coefficients (not on the intercept). */
  lambda?: number;
  maxIterations?: number;
  tolerance?: number;
  /** Confidence level of the intervals. */
  level?: number;
}

export interface LogisticCoefficient {
  name: string;
  /** Per unit of the feature as given. */
  coefficient: number;
  standardError: number;
  oddsRatio: number;
  ci: { low: number; high: number };
  oddsRatioCi: { low: number; high: number };
  z: number;
}

export interface LogisticFit {
  intercept: number;
  coefficients: LogisticCoefficient[];
  n: number;
  positives: number;
  iterations: number;
  converged: boolean;
  /** Penalised log-likelihood at the optimum. */
  logLikelihood: number;
  lambda: number;
  level: number;
  computation: string;
}

/** Solves the symmetric positive definite system A·X = B (A d×d row-major) by Cholesky; returns null if not SPD. */
export function choleskyInverse(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (s <= 1e-300) return null;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  const inv = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    // solve L y = e_c, then Lᵀ x = y
    for (let i = 0; i < d; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i * d + k] * col[k];
      col[i] = s / l[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = col[i];
      for (let k = i + 1; k < d; k++) s -= l[k * d + i] * inv[k * d + c];
      inv[i * d + c] = s / l[i * d + i];
    }
  }
  return inv;
}

const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/**
 * L2-regularised logistic regression by IRLS (Newton on the penalised log-likelihood),
 * deterministic (no randomness; starts from β = 0). Features are standardised internally
 * (mean 0, SD 1) so that λ treats them alike; coefficients and their covariance are mapped
 * back to the units given. Covariance = inverse penalised Hessian (XᵀWX + λI)⁻¹ at the optimum.
 *
 * @param rows n feature vectors of length p (no intercept column), @param y 0/1 labels
 */
export function fitLogistic(
  names: readonly string[],
  rows: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  opts: LogisticOptions = {},
): LogisticFit {
  const lambda = opts.lambda ?? 1;
  const maxIt = opts.maxIterations ?? 50;
  const tol = opts.tolerance ?? 1e-9;
  const level = opts.level ?? 0.95;
  const n = rows.length;
  const p = names.length;
  if (n === 0) throw new RangeError('fitLogistic needs at least one row');
  if (y.length !== n) throw new RangeError('rows and labels differ in length');
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j] += r[j] / n;
  for (const r of rows) for (let j = 0; j < p; j++) sd[j] += (r[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const d = p + 1;
  const x = new Float64Array(n * d);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    x[i * d] = 1;
    for (let j = 0; j < p; j++) x[i * d + 1 + j] = (rows[i][j] - mean[j]) / sd[j];
    positives += y[i];
  }
  const beta = new Float64Array(d);
  const h = new Float64Array(d * d);
  const g = new Float64Array(d);
  let iterations = 0;
  let converged = false;
  let cov: Float64Array | null = null;
  const eta = new Float64Array(n);
  for (; iterations < maxIt;) {
    iterations++;
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += x[i * d + k] * beta[k];
      eta[i] = t;
      const mu = sigmoid(t);
      const w = Math.max(mu * (1 - mu), 1e-12);
      const resid = y[i] - mu;
      for (let a = 0; a < d; a++) {
        const xa = x[i * d + a];
        g[a] += xa * resid;
        for (let b = 0; b <= a; b++) h[a * d + b] += w * xa * x[i * d + b];
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) h[b * d + a] = h[a * d + b];
    for (let a = 1; a < d; a++) {
      h[a * d + a] += lambda;
      g[a] -= lambda * beta[a];
    }
    cov = choleskyInverse(h, d);
    if (!cov) throw new RangeError('the Hessian is singular: add regularisation (λ > 0) or more varied data');
    let maxStep = 0;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += cov[a * d + b] * g[b];
      beta[a] += s;
      maxStep = Math.max(maxStep, Math.abs(s));
    }
    if (maxStep < tol) {
      converged = true;
      break;
    }
  }
  // log-likelihood at the final β (penalised)
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let k = 0; k < d; k++) t += x[i * d + k] * beta[k];
    ll += y[i] * t - (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
  }
  for (let a = 1; a < d; a++) ll -= (lambda / 2) * beta[a] ** 2;
  const zq = normalQuantile(1 - (1 - level) / 2);
  const coefficients: LogisticCoefficient[] = names.map((name, j) => {
    const coef = beta[1 + j] / sd[j];
    const se = Math.sqrt(Math.max(cov![(1 + j) * d + (1 + j)], 0)) / sd[j];
    const low = coef - zq * se;
    const high = coef + zq * se;
    return {
      name,
      coefficient: coef,
      standardError: se,
      oddsRatio: Math.exp(coef),
      ci: { low, high },
      oddsRatioCi: { low: Math.exp(low), high: Math.exp(high) },
      z: se > 0 ? coef / se : 0,
    };
  });
  let intercept = beta[0];
  for (let j = 0; j < p; j++) intercept -= (beta[1 + j] * mean[j]) / sd[j];
  return {
    intercept,
    coefficients,
    n,
    positives,
    iterations,
    converged,
    logLikelihood: ll,
    lambda,
    level,
    computation:
      'logit P(purchase) = β0 + Σ β_j x_j, fitted by IRLS (Newton) on the L2-penalised log-likelihood ℓ(β) − (λ/2)·Σ_{j≥1} γ_j² ' +
      'with features standardised (γ_j = β_j·sd_j); SE from the diagonal of the inverse penalised Hessian (XᵀWX + λI)⁻¹ mapped back to units; ' +
      `CI = β ± z_{${1 - (1 - level) / 2}}·SE; odds ratio = exp(β) per unit of the feature.`,
  };
}
