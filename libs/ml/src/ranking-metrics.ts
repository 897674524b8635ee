/**
 * Ranking metrics for one user with a ranked list and a set of held-out relevant items.
 * hit@k: 1 if any relevant item is in the top k. recall@k: share of relevant items in the top k.
 * ndcg@k: DCG over binary gains / ideal DCG. rr: 1/rank of the first relevant item within the top k (0 if none).
 * itemRr: the mean over relevant items of 1/rank (0 when outside the top k) — MRR counted per held-out item.
 * precision@k: hits / k (k, not the list length: the Microsoft Recommenders and RecBole convention).
 * ap@k: Σ_{r ≤ k, ranked[r] relevant} (hits within the first r) / r, divided by min(k, |relevant|) (RecBole's MAP@k).
 */
export interface RankingScores {
  hit: number;
  precision: number;
  ap: number;
  recall: number;
  ndcg: number;
  rr: number;
  itemRr: number;
}

export function rankingScores(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): RankingScores {
  let hits = 0;
  let dcg = 0;
  let rr = 0;
  let rrSum = 0;
  let apSum = 0;
  const top = Math.min(k, ranked.length);
  for (let r = 0; r < top; r++) {
    if (relevant.has(ranked[r])) {
      hits++;
      apSum += hits / (r + 1);
      rrSum += 1 / (r + 1);
      dcg += 1 / Math.log2(r + 2);
      if (rr === 0) rr = 1 / (r + 1);
    }
  }
  let idcg = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) idcg += 1 / Math.log2(r + 2);
  return {
    hit: hits > 0 ? 1 : 0,
    precision: k > 0 ? hits / k : 0,
    ap: relevant.size && k > 0 ? apSum / Math.min(k, relevant.size) : 0,
    recall: relevant.size ? hits / relevant.size : 0,
    ndcg: idcg > 0 ? dcg / idcg : 0,
    rr,
    itemRr: relevant.size ? rrSum / relevant.size : 0,
  };
}

/** Weight vectors on a grid over the simplex {w ≥ 0, Σw = 1} with the given step (e.g. 0.1). */
export function simplexGrid(dims: number, step: number): number[][] {
  const n = Math.round(1 / step);
  const out: number[][] = [];
  const rec = (prefix: number[], left: number) => {
    if (prefix.length === dims - 1) {
      out.push([...prefix, left].map((x) => x / n));
      return;
    }
    for (let v = 0; v <= left; v++) rec([...prefix, v], left - v);
  };
  rec([], n);
  return out;
}
