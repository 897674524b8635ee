import { SoftmaxModel } from '@livepromo/ml';
import { SparseVector } from './text-features';

/**
 * Naive-Bayes log-count ratios as feature weights (NBSVM / NB-LR, Wang & Manning 2012).
 *
 * For a class c, with document frequencies over the training rows (a feature counts once per row):
 *   p_j = α + #rows of class c containing j,   q_j = α + #rows of other classes containing j,
 *   r_cj = log( (p_j / Σp) / (q_j / Σq) ).
 * The weight of feature j is r_j = max_c |r_cj| (for two classes both give the same |r|). The sign of
 * NBSVM's r is dropped: a linear model with an L2 penalty that multiplies feature j by r_j or −r_j
 * learns the same function (w_j flips sign), so |r| is equivalent and extends to more classes.
 * Computed from training rows only.
 */
export function nbLogCountRatios(xs: readonly SparseVector[], ys: readonly number[], classes: number, dim: number, alpha = 1): Float32Array {
  if (xs.length !== ys.length) throw new Error('xs and ys differ in length');
  if (!(alpha > 0)) throw new Error('alpha must be > 0');
  const df = Array.from({ length: classes }, () => new Float64Array(dim));
  const total = new Float64Array(dim);
  for (let r = 0; r < xs.length; r++) {
    const d = df[ys[r]];
    const { indices, values } = xs[r];
    for (let i = 0; i < indices.length; i++) {
      if (values[i] === 0) continue;
      d[indices[i]] += 1;
      total[indices[i]] += 1;
    }
  }
  let totalSum = 0;
  for (let j = 0; j < dim; j++) totalSum += total[j];
  const out = new Float32Array(dim);
  for (let c = 0; c < classes; c++) {
    const d = df[c];
    let pSum = 0;
    for (let j = 0; j < dim; j++) pSum += d[j];
    const qSum = totalSum - pSum + alpha * dim;
    const pNorm = pSum + alpha * dim;
    for (let j = 0; j < dim; j++) {
      const r = Math.abs(Math.log((d[j] + alpha) / pNorm / ((total[j] - d[j] + alpha) / qSum)));
      if (r > out[j]) out[j] = r;
    }
  }
  return out;
}

/** Each row's values multiplied by the feature weights (the input the model is trained on). */
export function scaleFeatures(xs: readonly SparseVector[], weights: Float32Array): SparseVector[] {
  return xs.map(({ indices, values }) => {
    const v = new Float32Array(values.length);
    for (let i = 0; i < indices.length; i++) v[i] = values[i] * weights[indices[i]];
    return { indices, values: v };
  });
}

/**
 * Folds feature weights into the model: W'[c, j] = W[c, j] · r_j, so W'·x = W·(r ⊙ x) and serving
 * keeps the plain featurizer and the same Gemm → Softmax graph.
 */
export function foldFeatureWeights(model: SoftmaxModel, weights: Float32Array): SoftmaxModel {
  if (weights.length !== model.dim) throw new Error('feature weights and model dim differ');
  const w = new Float32Array(model.weights.length);
  for (let c = 0; c < model.classes; c++) {
    const base = c * model.dim;
    for (let j = 0; j < model.dim; j++) w[base + j] = model.weights[base + j] * weights[j];
  }
  return { ...model, weights: w, bias: Float32Array.from(model.bias) };
}
