/**
 * The hybrid score of the seed, M = Σ_k δ_k·C_k + ε·B:
 * every component C_k is first scaled to [0, 1] over the candidate list (divide by the list's
 * maximum; negative values clip to 0), B is the popularity prior log(1+n_i)/log(1+max n), and the
 * weights δ_k, ε are either configured or fitted on held-out interactions.
 */
export const HYBRID_COMPONENTS = ['content', 'cf', 'repeat', 'recency', 'itemKnn', 'popularity'] as const;
export type HybridComponent = (typeof HYBRID_COMPONENTS)[number];
export type HybridWeights = Record<HybridComponent, number>;

/**
 * Defaults: the weights the offline evaluation fitted on held-out Twitch interactions
 * (repeat 0.5, recency 0.2, cf 0.2, itemKnn 0.1) scaled by 0.85, plus 0.15 for the content side
 * (which the Twitch data cannot fit and which carries cold-start users), popularity as a tie-breaker.
 */
export const DEFAULT_HYBRID_WEIGHTS: HybridWeights = {
  content: 0.15,
  cf: 0.17,
  repeat: 0.42,
  recency: 0.17,
  itemKnn: 0.08,
  popularity: 0.01,
};

/** Scales scores to [0,1] by their maximum (in place); all-zero or negative lists stay 0. */
export function scaleByMax(xs: Float64Array): Float64Array {
  let max = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  for (let i = 0; i < xs.length; i++) xs[i] = max > 0 ? Math.max(0, xs[i]) / max : 0;
  return xs;
}

/** Scales scores to [0,1] by (x − min)/(max − min) in place, keeping their order (for scores that are only ordered, e.g. BPR); a constant list maps to 0. */
export function scaleMinMax(xs: Float64Array): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < min) min = xs[i];
    if (xs[i] > max) max = xs[i];
  }
  const span = max - min;
  for (let i = 0; i < xs.length; i++) xs[i] = span > 0 ? (xs[i] - min) / span : 0;
  return xs;
}

/** Blends scaled component vectors (same length) with weights; missing components count 0. */
export function blend(components: Partial<Record<HybridComponent, Float64Array>>, weights: HybridWeights, length: number): Float64Array {
  const out = new Float64Array(length);
  for (const name of HYBRID_COMPONENTS) {
    const c = components[name];
    const w = weights[name];
    if (!c || w === 0) continue;
    for (let i = 0; i < length; i++) out[i] += w * c[i];
  }
  return out;
}

/** Popularity prior B_i = log(1 + n_i) / log(1 + max n). */
export function popularityPrior(counts: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < counts.length; i++) max = Math.max(max, counts[i]);
  const out = new Float64Array(counts.length);
  const den = Math.log1p(max);
  for (let i = 0; i < counts.length; i++) out[i] = den > 0 ? Math.log1p(counts[i]) / den : 0;
  return out;
}

/** One user's aggregated history with one item: total weight (interaction count or strength) and last time. */
export interface HistoryEntry {
  item: number;
  weight: number;
  lastAt: number;
}

/**
 * Repeat-consumption components from a user's own history: frequency n_ui / max_j n_uj and
 * recency 1 / (1 + r) where r is the item's rank by last interaction (0 = most recent).
 */
export function repeatComponents(
  history: readonly HistoryEntry[],
  items: number,
): { repeat: Float64Array; recency: Float64Array } {
  const repeat = new Float64Array(items);
  const recency = new Float64Array(items);
  for (const h of history) repeat[h.item] += h.weight;
  scaleByMax(repeat);
  const byRecent = [...history].sort((a, b) => b.lastAt - a.lastAt || a.item - b.item);
  byRecent.forEach((h, r) => (recency[h.item] = Math.max(recency[h.item], 1 / (1 + r))));
  return { repeat, recency };
}
