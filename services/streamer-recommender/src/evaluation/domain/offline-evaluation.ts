import {
  AlsModel,
  csrFromTriples,
  ItemNeighbours,
  itemCosineNeighbours,
  itemKnnScores,
  mulberry32,
  rankingScores,
  scoreAllItems,
  shuffleInPlace,
  simplexGrid,
  topK,
  trainImplicitAls,
} from '@livepromo/ml';
import { blend, HistoryEntry, HybridComponent, HybridWeights, popularityPrior, repeatComponents, scaleByMax } from '../../recommendation/domain/hybrid-blend';

export type { HistoryEntry };

/** Interactions of one user in time order. */
export interface UserEvents {
  items: number[];
  times: number[];
  weights: number[];
}

export interface TimeSplit {
  /** Per user: aggregated training history. */
  train: HistoryEntry[][];
  /** Per user: distinct held-out items (empty when the user has none). */
  test: Set<number>[];
  trainInteractions: number;
  testInteractions: number;
}

/**
 * Splits each user's interactions by time: the last ⌈share·n⌉ (for n ≥ 2) are held out, the rest train.
 * Ties in time keep input order (stable sort).
 */
export function splitByUserTime(events: UserEvents[], share = 0.1): TimeSplit {
  const train: HistoryEntry[][] = [];
  const test: Set<number>[] = [];
  let trainN = 0;
  let testN = 0;
  for (const ev of events) {
    const order = ev.items.map((_, i) => i).sort((a, b) => ev.times[a] - ev.times[b] || a - b);
    const n = order.length;
    const hold = n >= 2 ? Math.max(1, Math.ceil(share * n)) : 0;
    const agg = new Map<number, HistoryEntry>();
    const held = new Set<number>();
    order.forEach((idx, pos) => {
      if (pos >= n - hold) {
        held.add(ev.items[idx]);
        testN++;
        return;
      }
      trainN++;
      const e = agg.get(ev.items[idx]) ?? { item: ev.items[idx], weight: 0, lastAt: -Infinity };
      e.weight += ev.weights[idx];
      e.lastAt = Math.max(e.lastAt, ev.times[idx]);
      agg.set(ev.items[idx], e);
    });
    train.push([...agg.values()]);
    test.push(held);
  }
  return { train, test, trainInteractions: trainN, testInteractions: testN };
}

/** Re-splits training histories is not possible once aggregated, so validation splits the raw events. */
export function truncateEvents(events: UserEvents[], share = 0.1): UserEvents[] {
  return events.map((ev) => {
    const order = ev.items.map((_, i) => i).sort((a, b) => ev.times[a] - ev.times[b] || a - b);
    const n = order.length;
    const hold = n >= 2 ? Math.max(1, Math.ceil(share * n)) : 0;
    const keep = order.slice(0, n - hold);
    return { items: keep.map((i) => ev.items[i]), times: keep.map((i) => ev.times[i]), weights: keep.map((i) => ev.weights[i]) };
  });
}

export interface ComponentOptions {
  factors?: number;
  iterations?: number;
  lambda?: number;
  alpha?: number;
  neighbours?: number;
  seed?: number;
  progress?: (msg: string) => void;
  /** Item metadata: row-major items×labels counts (e.g. the streamer's community), for the content component. */
  itemContent?: { labels: number; counts: Float64Array };
}

/** The trained pieces every offline recommender draws on. */
export class ComponentModels {
  readonly counts: Float64Array;
  readonly prior: Float64Array;
  readonly als: AlsModel;
  readonly knn: ItemNeighbours;
  /** L2-normalised item content rows, or null without metadata. */
  readonly content: { labels: number; rows: Float64Array } | null;

  constructor(
    readonly train: HistoryEntry[][],
    readonly items: number,
    opts: ComponentOptions = {},
  ) {
    this.counts = new Float64Array(items);
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    train.forEach((hist, u) =>
      hist.forEach((h) => {
        this.counts[h.item] += h.weight;
        r.push(u);
        c.push(h.item);
        v.push(h.weight);
      }),
    );
    this.prior = popularityPrior(this.counts);
    const R = csrFromTriples(train.length, items, r, c, v);
    const t0 = Date.now();
    this.als = trainImplicitAls(R, {
      factors: opts.factors ?? 32,
      iterations: opts.iterations ?? 12,
      lambda: opts.lambda ?? 1,
      alpha: opts.alpha ?? 5,
      seed: opts.seed ?? 42,
      onIteration: (it) => opts.progress?.(`  ALS iteration ${it}/${opts.iterations ?? 12} (${Date.now() - t0} ms)`),
    });
    this.knn = itemCosineNeighbours(R, opts.neighbours ?? 100);
    if (opts.itemContent) {
      const L = opts.itemContent.labels;
      const rows = Float64Array.from(opts.itemContent.counts);
      for (let i = 0; i < items; i++) {
        let n = 0;
        for (let l = 0; l < L; l++) n += rows[i * L + l] ** 2;
        n = Math.sqrt(n);
        if (n > 0) for (let l = 0; l < L; l++) rows[i * L + l] /= n;
      }
      this.content = { labels: L, rows };
    } else this.content = null;
    opts.progress?.(`  item-kNN neighbours built (${Date.now() - t0} ms since ALS start)`);
  }

  /** All components for user u, each scaled to [0, 1] over the catalogue. */
  components(u: number): Partial<Record<HybridComponent, Float64Array>> {
    const hist = this.train[u] ?? [];
    const { repeat, recency } = repeatComponents(hist, this.items);
    const f = this.als.factors;
    const cf = hist.length ? scaleByMax(scoreAllItems(this.als, this.als.userFactors.subarray(u * f, u * f + f))) : new Float64Array(this.items);
    const itemKnn = scaleByMax(
      itemKnnScores(
        this.knn,
        hist.map((h) => h.item),
        hist.map((h) => h.weight),
      ),
    );
    const out: Partial<Record<HybridComponent, Float64Array>> = { repeat, recency, cf, itemKnn, popularity: this.prior };
    if (this.content) out.content = this.contentScores(hist);
    return out;
  }

  /** Cosine between the user's weighted content profile (from their history) and each item's content. */
  private contentScores(hist: HistoryEntry[]): Float64Array {
    const { labels: L, rows } = this.content as { labels: number; rows: Float64Array };
    const profile = new Float64Array(L);
    for (const h of hist) for (let l = 0; l < L; l++) profile[l] += h.weight * rows[h.item * L + l];
    let n = 0;
    for (let l = 0; l < L; l++) n += profile[l] ** 2;
    const out = new Float64Array(this.items);
    if (n === 0) return out;
    n = Math.sqrt(n);
    for (let i = 0; i < this.items; i++) {
      let d = 0;
      for (let l = 0; l < L; l++) d += profile[l] * rows[i * L + l];
      out[i] = Math.max(0, d / n);
    }
    return out;
  }
}

export type BaselineName = 'popularity' | 'repeat-by-frequency' | 'item-knn' | 'factorisation' | 'hybrid';

const ONLY = (c: HybridComponent, tie = 0): HybridWeights => ({
  content: 0,
  cf: 0,
  repeat: 0,
  recency: 0,
  itemKnn: 0,
  popularity: 0,
  [c]: 1,
  ...(tie ? { popularity: tie } : {}),
});

/**
 * Each baseline as a weight vector over the components (popularity breaks ties with 1e-3):
 * popularity = B; repeat-by-frequency = own items by count, then popular; item-kNN = Σ sim;
 * factorisation = ALS x_u·y_i.
 */
export const BASELINE_WEIGHTS: Record<Exclude<BaselineName, 'hybrid'>, HybridWeights> = {
  popularity: ONLY('popularity'),
  'repeat-by-frequency': ONLY('repeat', 1e-3),
  'item-knn': ONLY('itemKnn', 1e-3),
  factorisation: ONLY('cf', 1e-3),
};

export interface Metrics {
  users: number;
  hitRate: number;
  recall: number;
  ndcg: number;
  /** MRR@k per user: 1/rank of the first held-out item. */
  mrr: number;
  /** MRR@k per held-out item: mean over held-out items of 1/rank (0 outside the top k). */
  itemMrr: number;
  coverage: number;
}

/** HR@k, Recall@k, NDCG@k, MRR@k averaged over users with held-out items; coverage = distinct items in any top-k / catalogue. */
export function evaluateWeights(models: ComponentModels, test: Set<number>[], weights: HybridWeights, k = 10): Metrics {
  let n = 0;
  const sums = { hit: 0, recall: 0, ndcg: 0, rr: 0, itemRr: 0 };
  const shown = new Set<number>();
  test.forEach((rel, u) => {
    if (!rel.size) return;
    const scores = blend(models.components(u), weights, models.items);
    const top = topK(scores, k);
    top.forEach((i) => shown.add(i));
    const s = rankingScores(top, rel, k);
    sums.hit += s.hit;
    sums.recall += s.recall;
    sums.ndcg += s.ndcg;
    sums.rr += s.rr;
    sums.itemRr += s.itemRr;
    n++;
  });
  return {
    users: n,
    hitRate: n ? sums.hit / n : 0,
    recall: n ? sums.recall / n : 0,
    ndcg: n ? sums.ndcg / n : 0,
    mrr: n ? sums.rr / n : 0,
    itemMrr: n ? sums.itemRr / n : 0,
    coverage: models.items ? shown.size / models.items : 0,
  };
}


/**
 * Fits the hybrid weights on held-out interactions: grid over the simplex (step 0.1, or 0.125 when the
 * content component is present) of (repeat, recency, cf, itemKnn, [content,] popularity), maximising mean NDCG@k over at most `maxUsers` users.
 * Candidates per user are the union of each component's top 30 (the blend's top k always lies there
 * for the grid's scaled components, up to ties).
 */
export function fitHybridWeights(models: ComponentModels, validation: Set<number>[], k = 10, maxUsers = 1000, seed = 1): { weights: HybridWeights; ndcg: number; tried: number } {
  let users = validation.map((s, u) => (s.size ? u : -1)).filter((u) => u >= 0);
  if (users.length > maxUsers) users = shuffleInPlace(mulberry32(seed), users).slice(0, maxUsers);
  const FITTED: HybridComponent[] = models.content ? ['repeat', 'recency', 'cf', 'itemKnn', 'content', 'popularity'] : ['repeat', 'recency', 'cf', 'itemKnn', 'popularity'];
  const C = FITTED.length;
  const cand: Int32Array[] = [];
  const vals: Float64Array[] = [];
  for (const u of users) {
    const comps = models.components(u);
    const pool = new Set<number>();
    for (const c of FITTED) for (const i of topK(comps[c] as Float64Array, 30)) pool.add(i);
    const ids = Int32Array.from(pool);
    const v = new Float64Array(ids.length * C);
    ids.forEach((item, j) => FITTED.forEach((c, ci) => (v[j * C + ci] = (comps[c] as Float64Array)[item])));
    cand.push(ids);
    vals.push(v);
  }
  let best = { w: [1, ...Array<number>(C - 1).fill(0)], ndcg: -1 };
  const grid = simplexGrid(C, models.content ? 0.125 : 0.1);
  for (const w of grid) {
    let total = 0;
    users.forEach((u, x) => {
      const ids = cand[x];
      const v = vals[x];
      const s = new Float64Array(ids.length);
      for (let j = 0; j < ids.length; j++) {
        let acc = 0;
        for (let ci = 0; ci < C; ci++) acc += w[ci] * v[j * C + ci];
        // tiny popularity tie-break so equal blends order like the baselines
        s[j] = acc + 1e-6 * v[j * C + C - 1];
      }
      total += rankingScores(
        topK(s, k).map((j) => ids[j]),
        validation[u],
        k,
      ).ndcg;
    });
    const ndcg = users.length ? total / users.length : 0;
    if (ndcg > best.ndcg) best = { w, ndcg };
  }
  const weights: HybridWeights = { content: 0, cf: 0, repeat: 0, recency: 0, itemKnn: 0, popularity: 0 };
  FITTED.forEach((c, ci) => (weights[c] = best.w[ci]));
  weights.popularity += 1e-6;
  return { weights, ndcg: best.ndcg, tried: grid.length };
}
