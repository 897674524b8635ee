import { mulberry32, shuffleInPlace } from './random';

/** A sparse feature vector: sorted indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Multinomial logistic regression: p = softmax(W x + b), W of shape [classes, dim] row-major.
 * The ONNX export computes exactly this with Gemm(x, W, b, transB=1) → Softmax(axis=1).
 */
export interface SoftmaxModel {
  dim: number;
  classes: number;
  /** [classes * dim], row c holds class c's weights. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** L2 penalty λ on W (the loss adds λ/2 · ||W||²). */
  l2: number;
  seed: number;
  onEpoch?: (epoch: number, meanLoss: number) => void;
  /** Called after every epoch with a function that copies the model as it is then (for early-stopping selection). */
  onEpochModel?: (epoch: number, snapshot: () => SoftmaxModel) => void;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 8, batchSize: 32, learningRate: 0.02, l2: 1e-6, seed: 42 };

/** Numerically stable softmax (subtracts the max). */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** The training code's forward pass: class probabilities for one sparse input. */
export function predictProba(model: SoftmaxModel, x: SparseVector): Float64Array {
  return softmax(logitsOf(model.weights, model.bias, model.dim, model.classes, x));
}

/** The logits W x + b of one sparse input (before the softmax). */
export function predictLogits(model: SoftmaxModel, x: SparseVector): Float64Array {
  return logitsOf(model.weights, model.bias, model.dim, model.classes, x);
}

function logitsOf(w: ArrayLike<number>, b: ArrayLike<number>, dim: number, classes: number, x: SparseVector): Float64Array {
  const z = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    let s = b[c];
    const base = c * dim;
    for (let i = 0; i < x.indices.length; i++) s += w[base + x.indices[i]] * x.values[i];
    z[c] = s;
  }
  return z;
}

/**
 * Mini-batch Adam (β1 0.9, β2 0.999, ε 1e-8) on mean cross-entropy + λ/2·||W||².
 * Weights start at zero, so the result depends only on the data order, which the seed fixes.
 * Gradients are accumulated sparsely; the Adam moments are updated lazily for the touched
 * coordinates plus every bias, with the L2 term applied to touched weights only (standard
 * "lazy" regularisation for sparse inputs).
 */
export function trainSoftmax(xs: readonly SparseVector[], ys: readonly number[], classes: number, dim: number, opts: TrainOptions = DEFAULT_TRAIN_OPTIONS): SoftmaxModel {
  if (xs.length !== ys.length) throw new Error('xs and ys differ in length');
  if (xs.length === 0) throw new Error('no training rows');
  const w = new Float64Array(classes * dim);
  const b = new Float64Array(classes);
  const mW = new Float64Array(classes * dim);
  const vW = new Float64Array(classes * dim);
  const mB = new Float64Array(classes);
  const vB = new Float64Array(classes);
  const gW = new Float64Array(classes * dim);
  const gB = new Float64Array(classes);
  const touched = new Uint8Array(dim);
  const rand = mulberry32(opts.seed);
  const order = xs.map((_, i) => i);
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  let step = 0;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    shuffleInPlace(rand, order);
    let lossSum = 0;
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const batch = order.slice(start, start + opts.batchSize);
      const touchedList: number[] = [];
      gB.fill(0);
      for (const r of batch) {
        const x = xs[r];
        const p = softmax(logitsOf(w, b, dim, classes, x));
        lossSum += -Math.log(Math.max(p[ys[r]], 1e-12));
        for (let c = 0; c < classes; c++) {
          const d = (p[c] - (c === ys[r] ? 1 : 0)) / batch.length;
          gB[c] += d;
          const base = c * dim;
          for (let i = 0; i < x.indices.length; i++) gW[base + x.indices[i]] += d * x.values[i];
        }
        for (let i = 0; i < x.indices.length; i++) {
          const j = x.indices[i];
          if (!touched[j]) {
            touched[j] = 1;
            touchedList.push(j);
          }
        }
      }
      step++;
      const lrT = (opts.learningRate * Math.sqrt(1 - Math.pow(b2, step))) / (1 - Math.pow(b1, step));
      for (let c = 0; c < classes; c++) {
        const g = gB[c];
        mB[c] = b1 * mB[c] + (1 - b1) * g;
        vB[c] = b2 * vB[c] + (1 - b2) * g * g;
        b[c] -= (lrT * mB[c]) / (Math.sqrt(vB[c]) + eps);
        const base = c * dim;
        for (const j of touchedList) {
          const k = base + j;
          const gk = gW[k] + opts.l2 * w[k];
          mW[k] = b1 * mW[k] + (1 - b1) * gk;
          vW[k] = b2 * vW[k] + (1 - b2) * gk * gk;
          w[k] -= (lrT * mW[k]) / (Math.sqrt(vW[k]) + eps);
          gW[k] = 0;
        }
      }
      for (const j of touchedList) touched[j] = 0;
    }
    opts.onEpoch?.(epoch, lossSum / order.length);
    opts.onEpochModel?.(epoch, () => ({ dim, classes, weights: Float32Array.from(w), bias: Float32Array.from(b) }));
  }
  return { dim, classes, weights: Float32Array.from(w), bias: Float32Array.from(b) };
}
