/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): greedily picks
 * argmax_i λ·rel(i) − (1 − λ)·max_{j∈picked} sim(i, j), to trade relevance for diversity.
 * Returns candidate positions in pick order.
 */
export function mmrRerank(relevance: readonly number[], similarity: (a: number, b: number) => number, k: number, lambda = 0.7): number[] {
  const picked: number[] = [];
  const left = new Set(relevance.map((_, i) => i));
  while (picked.length < k && left.size) {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of left) {
      let maxSim = 0;
      for (const j of picked) maxSim = Math.max(maxSim, similarity(i, j));
      const s = lambda * relevance[i] - (1 - lambda) * maxSim;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    picked.push(best);
    left.delete(best);
  }
  return picked;
}
