import { gaussian, mulberry32 } from './random';
import { Csr } from './sparse';

/**
 * Bayesian Personalised Ranking with matrix factorisation (Rendle et al., "BPR: Bayesian Personalized
 * Ranking from Implicit Feedback", UAI 2009), trained by SGD on sampled triples (u, i, j): i observed
 * for u, j not. Score x_ui = b_i + p_u·q_i. Per triple, with x_uij = x_ui − x_uj and z = σ(−x_uij):
 *   p_u += lr (z (q_i − q_j) − reg p_u),  q_i += lr (z p_u − reg q_i),  q_j += lr (−z p_u − reg q_j),
 *   b_i += lr (z − reg b_i),  b_j += lr (−z − reg b_j).
 * One epoch draws as many triples as there are observed pairs: a uniformly random observed pair (u, i)
 * and a uniformly random item j ∉ I_u (rejection sampling). The same update and sampling as Cornac's BPR
 * (the one in the Microsoft Recommenders table). Interaction values only mark presence (binary).
 */
export interface BprOptions {
  factors?: number;
  epochs?: number;
  learningRate?: number;
  /** L2 regularisation of factors and biases. */
  reg?: number;
  seed?: number;
  /** Called after each epoch with the mean sampled loss −ln σ(x_uij) of that epoch (before each update). */
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface BprModel {
  factors: number;
  users: number;
  items: number;
  /** Row-major users×f. */
  userFactors: Float32Array;
  /** Row-major items×f. */
  itemFactors: Float32Array;
  itemBias: Float32Array;
  /** Mean sampled loss −ln σ(x_uij) per epoch. */
  losses: number[];
  options: Required<Omit<BprOptions, 'onEpoch'>>;
}

/**
 * Defaults sized for a MovieLens-100k-like catalogue (943 users × 1,682 items, ~75k training pairs):
 * the Cornac settings of the Microsoft Recommenders BPR benchmark (k 200, lr 0.01, λ 0.001, 100 epochs).
 */
export const BPR_DEFAULTS: Required<Omit<BprOptions, 'onEpoch'>> = { factors: 200, epochs: 100, learningRate: 0.01, reg: 0.001, seed: 42 };

/** Is item i in row u of a CSR with sorted column indices (binary search)? */
function has(R: Csr, u: number, i: number): boolean {
  let lo = R.ptr[u];
  let hi = R.ptr[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = R.idx[mid];
    if (v === i) return true;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Trains BPR-MF on a users×items CSR (column indices sorted per row, as csrFromTriples builds them). Deterministic for a seed. */
export function trainBpr(R: Csr, opts: BprOptions = {}): BprModel {
  const options = {
    factors: opts.factors ?? BPR_DEFAULTS.factors,
    epochs: opts.epochs ?? BPR_DEFAULTS.epochs,
    learningRate: opts.learningRate ?? BPR_DEFAULTS.learningRate,
    reg: opts.reg ?? BPR_DEFAULTS.reg,
    seed: opts.seed ?? BPR_DEFAULTS.seed,
  };
  const { factors: f, learningRate: lr, reg } = options;
  if (!(f >= 1) || !(options.epochs >= 0) || !(lr > 0) || !(reg >= 0)) throw new Error(`BPR options out of range: ${JSON.stringify(options)}`);
  const rng = mulberry32(options.seed);
  const nU = R.rows;
  const nI = R.cols;
  const P = new Float32Array(nU * f);
  const Q = new Float32Array(nI * f);
  const b = new Float32Array(nI);
  for (let x = 0; x < P.length; x++) P[x] = gaussian(rng) * 0.01;
  for (let x = 0; x < Q.length; x++) Q[x] = gaussian(rng) * 0.01;
  const nnz = R.ptr[nU];
  // row of each stored pair, so a uniform pair draw is one index
  const rowOf = new Int32Array(nnz);
  for (let u = 0; u < nU; u++) rowOf.fill(u, R.ptr[u], R.ptr[u + 1]);
  const losses: number[] = [];
  const pu = new Float32Array(f);
  for (let epoch = 0; epoch < options.epochs && nnz > 0; epoch++) {
    let loss = 0;
    let n = 0;
    for (let s = 0; s < nnz; s++) {
      const p = Math.min(nnz - 1, Math.floor(rng() * nnz));
      const u = rowOf[p];
      const i = R.idx[p];
      if (R.ptr[u + 1] - R.ptr[u] >= nI) continue; // the user has every item: no negative exists
      let j = Math.min(nI - 1, Math.floor(rng() * nI));
      while (has(R, u, j)) j = Math.min(nI - 1, Math.floor(rng() * nI));
      const ou = u * f;
      const oi = i * f;
      const oj = j * f;
      let x = b[i] - b[j];
      for (let a = 0; a < f; a++) x += P[ou + a] * (Q[oi + a] - Q[oj + a]);
      // −ln σ(x), computed stably
      loss += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
      n++;
      const z = 1 / (1 + Math.exp(x));
      for (let a = 0; a < f; a++) pu[a] = P[ou + a];
      for (let a = 0; a < f; a++) {
        const qi = Q[oi + a];
        const qj = Q[oj + a];
        P[ou + a] += lr * (z * (qi - qj) - reg * pu[a]);
        Q[oi + a] += lr * (z * pu[a] - reg * qi);
        Q[oj + a] += lr * (-z * pu[a] - reg * qj);
      }
      b[i] += lr * (z - reg * b[i]);
      b[j] += lr * (-z - reg * b[j]);
    }
    const mean = n ? loss / n : 0;
    losses.push(mean);
    opts.onEpoch?.(epoch + 1, mean);
  }
  return { factors: f, users: nU, items: nI, userFactors: P, itemFactors: Q, itemBias: b, losses, options };
}

/** Scores b_i + p_u·q_i of every item for user u. */
export function bprScores(model: BprModel, u: number, out = new Float64Array(model.items)): Float64Array {
  const f = model.factors;
  const P = model.userFactors;
  const Q = model.itemFactors;
  const ou = u * f;
  for (let i = 0; i < model.items; i++) {
    let s = model.itemBias[i];
    const oi = i * f;
    for (let a = 0; a < f; a++) s += Q[oi + a] * P[ou + a];
    out[i] = s;
  }
  return out;
}
