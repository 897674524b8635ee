import { SoftmaxModel } from '@livepromo/ml';

/**
 * Probability calibration fitted on rows the model was not trained on, folded into the model's
 * weights so that serving (Gemm → Softmax) returns calibrated probabilities with no extra step.
 *
 * - two classes, Platt scaling: P(class 1) = σ(a·m + c) with the margin m = z1 − z0 (the logit);
 *   a and c minimise the log loss (damped Newton's method). Folded: W' = a·W, b1' = a·b1 + c/2, b0' = a·b0 − c/2,
 *   so that z1' − z0' = a·m + c.
 * - more classes, temperature scaling: softmax(z / T), T minimising the log loss (golden-section search
 *   over log T in [−4, 4]). Folded: W' = W / T, b' = b / T. The predicted class does not change.
 */
export type Calibration = { method: 'platt'; a: number; c: number } | { method: 'temperature'; t: number } | { method: 'none' };

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function plattLoss(margins: readonly number[], outcomes: readonly number[], a: number, c: number, ridge: number): number {
  let s = 0;
  for (let i = 0; i < margins.length; i++) {
    const z = a * margins[i] + c;
    // log(1 + e^z) − y·z, computed stably
    s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - outcomes[i] * z;
  }
  return s / margins.length + (ridge / 2) * (a - 1) * (a - 1);
}

/** Platt scaling on margins and 0/1 outcomes (damped Newton's method on the mean log loss, tiny ridge for separable data). */
export function fitPlatt(margins: readonly number[], outcomes: readonly number[]): { a: number; c: number } {
  if (margins.length !== outcomes.length || margins.length === 0) throw new Error('fitPlatt needs as many outcomes as margins, at least one');
  let a = 1;
  let c = 0;
  const ridge = 1e-6;
  const n = margins.length;
  let loss = plattLoss(margins, outcomes, a, c, ridge);
  for (let iter = 0; iter < 100; iter++) {
    let ga = ridge * (a - 1);
    let gc = 0;
    let haa = ridge;
    let hac = 0;
    let hcc = 1e-12;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * margins[i] + c);
      const d = (p - outcomes[i]) / n;
      const w = (p * (1 - p)) / n;
      ga += d * margins[i];
      gc += d;
      haa += w * margins[i] * margins[i];
      hac += w * margins[i];
      hcc += w;
    }
    const det = haa * hcc - hac * hac;
    if (!(det > 0)) break;
    const da = (hcc * ga - hac * gc) / det;
    const dc = (haa * gc - hac * ga) / det;
    // backtracking: halve the Newton step until the loss does not grow
    let step = 1;
    let next = plattLoss(margins, outcomes, a - da, c - dc, ridge);
    while (next > loss && step > 1e-6) {
      step /= 2;
      next = plattLoss(margins, outcomes, a - step * da, c - step * dc, ridge);
    }
    if (next > loss) break;
    a -= step * da;
    c -= step * dc;
    const improvement = loss - next;
    loss = next;
    if (Math.abs(step * da) < 1e-10 && Math.abs(step * dc) < 1e-10) break;
    if (improvement < 1e-14) break;
  }
  return { a, c };
}

/** Mean log loss of softmax(z / t). */
function temperatureLoss(logits: readonly ArrayLike<number>[], truth: readonly number[], t: number): number {
  let loss = 0;
  for (let r = 0; r < logits.length; r++) {
    const z = logits[r];
    let max = -Infinity;
    for (let k = 0; k < z.length; k++) max = Math.max(max, z[k] / t);
    let s = 0;
    for (let k = 0; k < z.length; k++) s += Math.exp(z[k] / t - max);
    loss += -(z[truth[r]] / t - max - Math.log(s));
  }
  return loss / logits.length;
}

/** Temperature scaling: the T in [e^−4, e^4] minimising the log loss (golden-section search on log T). */
export function fitTemperature(logits: readonly ArrayLike<number>[], truth: readonly number[]): number {
  if (logits.length !== truth.length || logits.length === 0) throw new Error('fitTemperature needs as many labels as logit rows, at least one');
  let lo = -4;
  let hi = 4;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = temperatureLoss(logits, truth, Math.exp(x1));
  let f2 = temperatureLoss(logits, truth, Math.exp(x2));
  for (let i = 0; i < 60; i++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = temperatureLoss(logits, truth, Math.exp(x1));
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = temperatureLoss(logits, truth, Math.exp(x2));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Fits Platt scaling for two classes, temperature scaling for more, on held-out logits. */
export function fitCalibration(logits: readonly ArrayLike<number>[], truth: readonly number[], classes: number): Calibration {
  if (classes === 2) {
    const { a, c } = fitPlatt(
      logits.map((z) => z[1] - z[0]),
      truth,
    );
    return { method: 'platt', a, c };
  }
  return { method: 'temperature', t: fitTemperature(logits, truth) };
}

/** The model with the calibration folded into its weights and bias (see the file comment). */
export function foldCalibration(model: SoftmaxModel, cal: Calibration): SoftmaxModel {
  if (cal.method === 'none') return model;
  if (cal.method === 'platt' && model.classes !== 2) throw new Error('Platt scaling needs two classes');
  const scale = cal.method === 'platt' ? cal.a : 1 / cal.t;
  const weights = Float32Array.from(model.weights, (w) => w * scale);
  const bias = Float32Array.from(model.bias, (b) => b * scale);
  if (cal.method === 'platt') {
    bias[1] += cal.c / 2;
    bias[0] -= cal.c / 2;
  }
  return { ...model, weights, bias };
}

export interface ReliabilityBin {
  /** [lo, hi) (the last bin includes 1) */
  lo: number;
  hi: number;
  count: number;
  /** mean predicted probability of the rows in the bin */
  meanPredicted: number;
  /** share of those rows where the event happened */
  observedRate: number;
}

export interface ReliabilityTable {
  /** what is binned: P(labels[1]) for two classes, the top-label confidence for more */
  predicted: string;
  bins: ReliabilityBin[];
  /** expected calibration error: Σ_bins count/n · |observedRate − meanPredicted| */
  ece: number;
  n: number;
}

/**
 * Reliability table over equal-width bins. Two classes: the predicted probability of the second label
 * against the observed frequency of that label. More classes: the probability of the predicted class
 * (confidence) against accuracy.
 */
export function reliabilityTable(probs: readonly ArrayLike<number>[], truth: readonly number[], labels: readonly string[], nBins = 10): ReliabilityTable {
  if (probs.length !== truth.length) throw new Error('probs and truth differ in length');
  const binary = labels.length === 2;
  const sumP = new Float64Array(nBins);
  const sumO = new Float64Array(nBins);
  const count = new Array<number>(nBins).fill(0);
  for (let r = 0; r < probs.length; r++) {
    const p = probs[r];
    let q: number;
    let o: number;
    if (binary) {
      q = p[1];
      o = truth[r] === 1 ? 1 : 0;
    } else {
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
      q = p[best];
      o = truth[r] === best ? 1 : 0;
    }
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(q * nBins)));
    sumP[b] += q;
    sumO[b] += o;
    count[b]++;
  }
  const n = probs.length;
  let ece = 0;
  const bins = count.map((c, b) => {
    const meanPredicted = c ? sumP[b] / c : 0;
    const observedRate = c ? sumO[b] / c : 0;
    if (c) ece += (c / n) * Math.abs(observedRate - meanPredicted);
    return { lo: b / nBins, hi: (b + 1) / nBins, count: c, meanPredicted, observedRate };
  });
  return { predicted: binary ? `P(${labels[1]})` : 'confidence of the predicted class', bins, ece, n };
}
