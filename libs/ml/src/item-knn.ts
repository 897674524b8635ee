import { Csr, transpose } from './sparse';
import { topK } from './top-k';

/**
 * Item–item cosine similarity over binary user sets: sim(i,j) = |U_i ∩ U_j| / √(|U_i|·|U_j|),
 * keeping each item's `neighbours` most similar items (sparse, row i → list).
 */
export interface ItemNeighbours {
  items: number;
  ptr: Int32Array;
  idx: Int32Array;
  sim: Float64Array;
}

export function itemCosineNeighbours(userItems: Csr, neighbours = 50): ItemNeighbours {
  const itemUsers = transpose(userItems);
  const nI = userItems.cols;
  const sizes = new Float64Array(nI);
  for (let i = 0; i < nI; i++) sizes[i] = itemUsers.ptr[i + 1] - itemUsers.ptr[i];
  const co = new Float64Array(nI);
  const touched: number[] = [];
  const ptr = new Int32Array(nI + 1);
  const idxs: number[] = [];
  const sims: number[] = [];
  for (let i = 0; i < nI; i++) {
    touched.length = 0;
    for (let p = itemUsers.ptr[i]; p < itemUsers.ptr[i + 1]; p++) {
      const u = itemUsers.idx[p];
      for (let q = userItems.ptr[u]; q < userItems.ptr[u + 1]; q++) {
        const j = userItems.idx[q];
        if (j === i) continue;
        if (co[j] === 0) touched.push(j);
        co[j] += 1;
      }
    }
    const cand = new Float64Array(touched.length);
    touched.forEach((j, t) => (cand[t] = co[j] / Math.sqrt(sizes[i] * sizes[j])));
    for (const t of topK(cand, neighbours)) {
      idxs.push(touched[t]);
      sims.push(cand[t]);
    }
    for (const j of touched) co[j] = 0;
    ptr[i + 1] = idxs.length;
  }
  return { items: nI, ptr, idx: Int32Array.from(idxs), sim: Float64Array.from(sims) };
}

/** Item-kNN score of every item for a user's weighted history: s_j = Σ_i w_i · sim(i, j). */
export function itemKnnScores(nb: ItemNeighbours, history: ArrayLike<number>, weights: ArrayLike<number>, out = new Float64Array(nb.items)): Float64Array {
  out.fill(0);
  for (let h = 0; h < history.length; h++) {
    const i = history[h];
    for (let p = nb.ptr[i]; p < nb.ptr[i + 1]; p++) out[nb.idx[p]] += weights[h] * nb.sim[p];
  }
  return out;
}
