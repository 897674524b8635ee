/**
 * Offline evaluation of the recommenders under the protocols of the field (pure domain code: the CLI
 * and the bench read data and print; this splits, trains, ranks and scores).
 *
 * Protocols (per user, seeded):
 * - `time`: the last ⌈share·n⌉ interactions by time are held out (n ≥ 2; ties keep input order);
 * - `random`: a seeded shuffle of the user's interactions, the last n − round((1 − share)·n) held out
 *   (≥ 1, and ≥ 1 kept, for n ≥ 2): the per-user ("stratified") split of Microsoft Recommenders, 75/25 by default;
 * - `leave-one-out`: the last interaction by time held out (n ≥ 2).
 * A held-out interaction is a *repeat* when the user has the item in their training part, else *new*
 * (the LiveRec breakdown). With `excludeSeen` the user's training items are removed from the candidates
 * and from the relevant set (only new items can be relevant).
 */
import {
  AlsModel,
  BPR_DEFAULTS,
  BprModel,
  bprScores,
  Csr,
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
  trainBpr,
  trainImplicitAls,
} from '@livepromo/ml';
import { HistoryEntry, popularityPrior, repeatComponents, scaleByMax, scaleMinMax } from '../../recommendation/domain/hybrid-blend';

export type { HistoryEntry };

/** Interactions of one user (any order; `times` orders them for the time protocols). */
export interface UserEvents {
  items: number[];
  times: number[];
  weights: number[];
}

export const SPLIT_PROTOCOLS = ['time', 'random', 'leave-one-out'] as const;
export type SplitProtocol = (typeof SPLIT_PROTOCOLS)[number];

export interface Split {
  /** Per user: aggregated training history. */
  train: HistoryEntry[][];
  /** Per user: the training interactions, raw (a validation split is carved out of these). */
  trainEvents: UserEvents[];
  /** Per user: distinct relevant held-out items (new items only under excludeSeen). */
  test: Set<number>[];
  /** Per user: distinct held-out items the user has not had in training / has had. */
  testNew: Set<number>[];
  testRepeat: Set<number>[];
  trainInteractions: number;
  testInteractions: number;
  /** Held-out interactions (not distinct items) whose item is new to the user / already in their training part. */
  heldOutNew: number;
  heldOutRepeat: number;
}

/** Indices of one user's events held out under a protocol. */
function heldOutPositions(ev: UserEvents, protocol: SplitProtocol, share: number, rng: () => number): { keep: number[]; hold: number[] } {
  const n = ev.items.length;
  const byTime = () => ev.items.map((_, i) => i).sort((a, b) => ev.times[a] - ev.times[b] || a - b);
  if (n < 2) return { keep: ev.items.map((_, i) => i), hold: [] };
  let order: number[];
  let hold: number;
  if (protocol === 'random') {
    order = shuffleInPlace(
      rng,
      ev.items.map((_, i) => i),
    );
    hold = Math.min(n - 1, Math.max(1, n - Math.round((1 - share) * n)));
  } else {
    order = byTime();
    hold = protocol === 'leave-one-out' ? 1 : Math.min(n - 1, Math.max(1, Math.ceil(share * n)));
  }
  return { keep: order.slice(0, n - hold), hold: order.slice(n - hold) };
}

/** Splits every user's events under the protocol; `share` is the held-out fraction (ignored by leave-one-out). */
export function splitEvents(events: UserEvents[], protocol: SplitProtocol, share: number, seed: number, excludeSeen: boolean): Split {
  if (!(share > 0 && share < 1)) throw new RangeError(`held-out share must be in (0, 1), got ${share}`);
  const rng = mulberry32(seed);
  const out: Split = { train: [], trainEvents: [], test: [], testNew: [], testRepeat: [], trainInteractions: 0, testInteractions: 0, heldOutNew: 0, heldOutRepeat: 0 };
  for (const ev of events) {
    const { keep, hold } = heldOutPositions(ev, protocol, share, rng);
    const agg = new Map<number, HistoryEntry>();
    for (const idx of keep) {
      const e = agg.get(ev.items[idx]) ?? { item: ev.items[idx], weight: 0, lastAt: -Infinity };
      e.weight += ev.weights[idx];
      e.lastAt = Math.max(e.lastAt, ev.times[idx]);
      agg.set(ev.items[idx], e);
    }
    const testNew = new Set<number>();
    const testRepeat = new Set<number>();
    for (const idx of hold) {
      const item = ev.items[idx];
      if (agg.has(item)) {
        testRepeat.add(item);
        out.heldOutRepeat++;
      } else {
        testNew.add(item);
        out.heldOutNew++;
      }
    }
    out.train.push([...agg.values()]);
    out.trainEvents.push({ items: keep.map((i) => ev.items[i]), times: keep.map((i) => ev.times[i]), weights: keep.map((i) => ev.weights[i]) });
    out.testNew.push(testNew);
    out.testRepeat.push(testRepeat);
    out.test.push(excludeSeen ? new Set(testNew) : new Set([...testNew, ...testRepeat]));
    out.trainInteractions += keep.length;
    out.testInteractions += hold.length;
  }
  return out;
}

/** Share of interactions whose (user, item) pair occurred before for that user: 1 − distinct pairs / interactions. */
export function repeatRate(events: UserEvents[]): number {
  let n = 0;
  let distinct = 0;
  for (const ev of events) {
    n += ev.items.length;
    distinct += new Set(ev.items).size;
  }
  return n ? 1 - distinct / n : 0;
}

/** Below this repeat rate, seen items are excluded by default (the data has (almost) no repeat consumption). */
export const EXCLUDE_SEEN_BELOW_REPEAT_RATE = 0.05;

/** The scored components the models are built from, each scaled to [0, 1] over the catalogue per user. */
export const EVAL_COMPONENTS = ['repeat', 'recency', 'als', 'bpr', 'itemKnn', 'content', 'popularity'] as const;
export type EvalComponent = (typeof EVAL_COMPONENTS)[number];
export type EvalWeights = Partial<Record<EvalComponent, number>>;

/** Item metadata as sparse items×labels counts (CSR rows = items), e.g. the streamer's community. */
export type ItemContent = Csr;

export interface ComponentOptions {
  /** Which components to train (only those are built); default all that the data allows. */
  components?: readonly EvalComponent[];
  factors?: number;
  iterations?: number;
  lambda?: number;
  alpha?: number;
  alsSolver?: 'cholesky' | 'cg';
  neighbours?: number;
  bpr?: { factors?: number; epochs?: number; learningRate?: number; reg?: number };
  seed?: number;
  progress?: (msg: string) => void;
  itemContent?: ItemContent;
}

/** L2-normalises every row of a CSR (a copy). */
export function l2NormaliseRows(m: Csr): Csr {
  const val = Float64Array.from(m.val);
  for (let r = 0; r < m.rows; r++) {
    let n = 0;
    for (let p = m.ptr[r]; p < m.ptr[r + 1]; p++) n += val[p] * val[p];
    n = Math.sqrt(n);
    if (n > 0) for (let p = m.ptr[r]; p < m.ptr[r + 1]; p++) val[p] /= n;
  }
  return { ...m, val };
}

/**
 * Content score of every item: cosine of the user's weighted label profile Σ_h w_h·c_h (c = L2-normalised
 * sparse label rows) with each item's row. O(nnz of the item×label matrix) per user, never dense items×labels.
 */
export function sparseContentScores(content: Csr, history: readonly HistoryEntry[], profile: Float64Array = new Float64Array(content.cols), out: Float64Array = new Float64Array(content.rows)): Float64Array {
  const touched: number[] = [];
  for (const h of history)
    for (let p = content.ptr[h.item]; p < content.ptr[h.item + 1]; p++) {
      const l = content.idx[p];
      if (profile[l] === 0) touched.push(l);
      profile[l] += h.weight * content.val[p];
    }
  let n = 0;
  for (const l of touched) n += profile[l] * profile[l];
  out.fill(0);
  if (n > 0) {
    n = Math.sqrt(n);
    for (let i = 0; i < content.rows; i++) {
      let d = 0;
      for (let p = content.ptr[i]; p < content.ptr[i + 1]; p++) d += profile[content.idx[p]] * content.val[p];
      out[i] = d > 0 ? d / n : 0;
    }
  }
  for (const l of touched) profile[l] = 0;
  return out;
}

/** The trained pieces the offline recommenders draw on; only the requested components are trained. */
export class ComponentModels {
  readonly counts: Float64Array;
  /** Distinct training users per item (for novelty). */
  readonly itemUsers: Float64Array;
  readonly prior: Float64Array;
  als: AlsModel | null = null;
  bpr: BprModel | null = null;
  knn: ItemNeighbours | null = null;
  content: Csr | null = null;
  readonly available: ReadonlySet<EvalComponent>;
  readonly trainMs: Partial<Record<EvalComponent, number>> = {};
  private profile: Float64Array | null = null;

  constructor(
    readonly train: HistoryEntry[][],
    readonly items: number,
    opts: ComponentOptions = {},
  ) {
    const want = new Set<EvalComponent>(opts.components ?? EVAL_COMPONENTS);
    if (!opts.itemContent) want.delete('content');
    this.available = want;
    this.counts = new Float64Array(items);
    this.itemUsers = new Float64Array(items);
    let nnz = 0;
    for (const hist of train) nnz += hist.length;
    const r = new Int32Array(nnz);
    const c = new Int32Array(nnz);
    const v = new Float64Array(nnz);
    let p = 0;
    train.forEach((hist, u) =>
      hist.forEach((h) => {
        this.counts[h.item] += h.weight;
        this.itemUsers[h.item]++;
        r[p] = u;
        c[p] = h.item;
        v[p++] = h.weight;
      }),
    );
    this.prior = popularityPrior(this.counts);
    const needR = want.has('als') || want.has('bpr') || want.has('itemKnn');
    const R = needR ? csrFromTriples(train.length, items, r, c, v) : null;
    const timed = (name: EvalComponent, fn: () => void) => {
      const t0 = Date.now();
      fn();
      this.trainMs[name] = Date.now() - t0;
      opts.progress?.(`  ${name} trained in ${this.trainMs[name]} ms`);
    };
    if (R && want.has('als'))
      timed('als', () => {
        const iterations = opts.iterations ?? 12;
        const t0 = Date.now();
        this.als = trainImplicitAls(R, {
          factors: opts.factors ?? 32,
          iterations,
          lambda: opts.lambda ?? 1,
          alpha: opts.alpha ?? 5,
          seed: opts.seed ?? 42,
          solver: opts.alsSolver ?? 'cholesky',
          cgSteps: 3,
          onIteration: (it) => opts.progress?.(`  ALS iteration ${it}/${iterations} (${Date.now() - t0} ms)`),
        });
      });
    if (R && want.has('bpr'))
      timed('bpr', () => {
        const t0 = Date.now();
        const epochs = opts.bpr?.epochs ?? BPR_DEFAULTS.epochs;
        this.bpr = trainBpr(R, {
          ...opts.bpr,
          seed: opts.seed ?? 42,
          onEpoch: (e, loss) => {
            if (e === 1 || e === epochs || e % 10 === 0) opts.progress?.(`  BPR epoch ${e}/${epochs} loss ${loss.toFixed(4)} (${Date.now() - t0} ms)`);
          },
        });
      });
    if (R && want.has('itemKnn')) timed('itemKnn', () => (this.knn = itemCosineNeighbours(R, opts.neighbours ?? 100)));
    if (opts.itemContent && want.has('content')) {
      this.content = l2NormaliseRows(opts.itemContent);
      this.profile = new Float64Array(opts.itemContent.cols);
    }
  }

  private repeatCache: { u: number; repeat: Float64Array; recency: Float64Array } | null = null;

  /** One component for user u, scaled to [0, 1] over the catalogue (a fresh array the caller may keep). */
  component(u: number, c: EvalComponent): Float64Array {
    const hist = this.train[u] ?? [];
    switch (c) {
      case 'popularity':
        return this.prior;
      case 'repeat':
      case 'recency':
        if (this.repeatCache?.u !== u) this.repeatCache = { u, ...repeatComponents(hist, this.items) };
        return this.repeatCache[c];
      case 'als': {
        if (!this.als) throw new Error('ALS was not trained');
        const f = this.als.factors;
        return hist.length ? scaleByMax(scoreAllItems(this.als, this.als.userFactors.subarray(u * f, u * f + f))) : new Float64Array(this.items);
      }
      case 'bpr':
        if (!this.bpr) throw new Error('BPR was not trained');
        // BPR scores are only ordered, often all negative: min–max keeps the order
        return hist.length ? scaleMinMax(bprScores(this.bpr, u)) : new Float64Array(this.items);
      case 'itemKnn':
        if (!this.knn) throw new Error('item-kNN was not trained');
        return scaleByMax(
          itemKnnScores(
            this.knn,
            hist.map((h) => h.item),
            hist.map((h) => h.weight),
          ),
        );
      case 'content':
        if (!this.content || !this.profile) throw new Error('no item content');
        return sparseContentScores(this.content, hist, this.profile);
    }
  }

  /** The components that carry weight > 0 in any of the weight vectors, computed once for user u. */
  componentsFor(u: number, weightSets: readonly EvalWeights[]): Partial<Record<EvalComponent, Float64Array>> {
    const out: Partial<Record<EvalComponent, Float64Array>> = {};
    for (const w of weightSets)
      for (const c of EVAL_COMPONENTS) if ((w[c] ?? 0) > 0 && !out[c]) out[c] = this.component(u, c);
    return out;
  }
}

/**
 * The k best indices (best first, ties by lower index, masked indices skipped): the same answer as
 * libs/ml topK, with a threshold test before the heap so most of a large catalogue costs one comparison.
 */
export function topKMasked(scores: Float64Array, k: number, mask?: Uint8Array): number[] {
  const heap: number[] = [];
  const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  let thr = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s < thr || (mask && mask[i] === 1) || Number.isNaN(s)) continue;
    if (heap.length < k) {
      heap.push(i);
      for (let p = heap.length - 1; p > 0; ) {
        const q = (p - 1) >> 1;
        if (!worse(heap[p], heap[q])) break;
        [heap[p], heap[q]] = [heap[q], heap[p]];
        p = q;
      }
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && worse(heap[l], heap[m])) m = l;
        if (r < heap.length && worse(heap[r], heap[m])) m = r;
        if (m === p) break;
        [heap[p], heap[m]] = [heap[m], heap[p]];
        p = m;
      }
    } else continue;
    if (heap.length === k) thr = scores[heap[0]];
  }
  return heap.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** Σ w_c·C_c over the components with weight > 0. */
export function blendEval(comps: Partial<Record<EvalComponent, Float64Array>>, w: EvalWeights, items: number, out = new Float64Array(items)): Float64Array {
  out.fill(0);
  for (const c of EVAL_COMPONENTS) {
    const wc = w[c] ?? 0;
    const v = comps[c];
    if (wc <= 0 || !v) continue;
    for (let i = 0; i < items; i++) out[i] += wc * v[i];
  }
  return out;
}

const TIE = 1e-3;
/** Each single-model baseline as weights over the components (popularity breaks ties with 1e-3). */
export const BASELINES: Record<string, EvalWeights> = {
  popularity: { popularity: 1 },
  'repeat-by-frequency': { repeat: 1, popularity: TIE },
  'item-knn': { itemKnn: 1, popularity: TIE },
  als: { als: 1, popularity: TIE },
  bpr: { bpr: 1, popularity: TIE },
  content: { content: 1, popularity: TIE },
};
export const MODEL_NAMES = [...Object.keys(BASELINES), 'hybrid'];

/** The components a set of models needs (the hybrid draws on those of the other chosen models, plus recency with repeat). */
export function componentsOf(models: readonly string[]): EvalComponent[] {
  const set = new Set<EvalComponent>(['popularity']);
  for (const m of models) for (const [c, w] of Object.entries(BASELINES[m] ?? {})) if ((w ?? 0) > 0) set.add(c as EvalComponent);
  if (models.includes('hybrid') && set.has('repeat')) set.add('recency');
  return EVAL_COMPONENTS.filter((c) => set.has(c));
}

export interface RankMetrics {
  users: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  /** 1/rank of the first relevant item within the top k, averaged over users. */
  mrr: number;
  /** Mean over each user's relevant items of 1/rank (0 outside the top k), averaged over users. */
  itemMrr: number;
  hitRate: number;
}

export interface Metrics extends RankMetrics {
  /** Distinct items in any top k / catalogue size. */
  coverage: number;
  /** Mean over recommended items of −log2(share of training users who had the item), a user-less item counting as one user. */
  novelty: number;
  /** The same rankings scored against held-out items new to the user only / repeats only (users with any). */
  newItems: RankMetrics;
  repeatItems: RankMetrics;
}

class Acc {
  n = 0;
  p = 0;
  r = 0;
  nd = 0;
  ap = 0;
  rr = 0;
  irr = 0;
  hit = 0;
  add(top: number[], rel: ReadonlySet<number>, k: number) {
    if (!rel.size) return;
    const s = rankingScores(top, rel, k);
    this.n++;
    this.p += s.precision;
    this.r += s.recall;
    this.nd += s.ndcg;
    this.ap += s.ap;
    this.rr += s.rr;
    this.irr += s.itemRr;
    this.hit += s.hit;
  }
  done(): RankMetrics {
    const d = (x: number) => (this.n ? x / this.n : 0);
    return { users: this.n, precision: d(this.p), recall: d(this.r), ndcg: d(this.nd), map: d(this.ap), mrr: d(this.rr), itemMrr: d(this.irr), hitRate: d(this.hit) };
  }
}

/** Users with a relevant held-out item, optionally a seeded sample of at most `maxUsers`. */
export function evaluationUsers(test: Set<number>[], maxUsers = 0, seed = 1): number[] {
  const users = test.map((s, u) => (s.size ? u : -1)).filter((u) => u >= 0);
  if (maxUsers > 0 && users.length > maxUsers) return shuffleInPlace(mulberry32(seed), users).slice(0, maxUsers).sort((a, b) => a - b);
  return users;
}

export interface EvaluateOptions {
  k: number;
  excludeSeen: boolean;
  /** Evaluate on these users only (default: every user with a relevant held-out item). */
  users?: number[];
  progress?: (msg: string) => void;
}

/**
 * Every model (name → weights) on the same users: each user's needed components are computed once,
 * blended per model (weight-0 components never computed), seen items masked under excludeSeen, and the
 * top k scored against the relevant, new-only and repeat-only held-out sets.
 */
export function evaluateModels(models: ComponentModels, split: Pick<Split, 'test' | 'testNew' | 'testRepeat'>, weights: Record<string, EvalWeights>, opts: EvaluateOptions): Record<string, Metrics> {
  const names = Object.keys(weights);
  const k = opts.k;
  const users = opts.users ?? evaluationUsers(split.test);
  const acc = names.map(() => ({ all: new Acc(), nw: new Acc(), rep: new Acc(), shown: new Set<number>(), nov: 0, novN: 0 }));
  const U = Math.max(1, models.train.length);
  const nov = new Float64Array(models.items);
  for (let i = 0; i < models.items; i++) nov[i] = -Math.log2(Math.max(1, models.itemUsers[i]) / U);
  const mask = new Uint8Array(models.items);
  const scratch = new Float64Array(models.items);
  const t0 = Date.now();
  users.forEach((u, x) => {
    const comps = models.componentsFor(u, Object.values(weights));
    const hist = models.train[u] ?? [];
    if (opts.excludeSeen) for (const h of hist) mask[h.item] = 1;
    names.forEach((name, m) => {
      const top = topKMasked(blendEval(comps, weights[name], models.items, scratch), k, opts.excludeSeen ? mask : undefined);
      const a = acc[m];
      a.all.add(top, split.test[u], k);
      a.nw.add(top, split.testNew[u], k);
      if (!opts.excludeSeen) a.rep.add(top, split.testRepeat[u], k);
      for (const i of top) {
        a.shown.add(i);
        a.nov += nov[i];
        a.novN++;
      }
    });
    if (opts.excludeSeen) for (const h of hist) mask[h.item] = 0;
    if ((x + 1) % 2000 === 0) opts.progress?.(`  evaluated ${x + 1}/${users.length} users (${Date.now() - t0} ms)`);
  });
  const out: Record<string, Metrics> = {};
  names.forEach((name, m) => {
    const a = acc[m];
    out[name] = { ...a.all.done(), coverage: models.items ? a.shown.size / models.items : 0, novelty: a.novN ? a.nov / a.novN : 0, newItems: a.nw.done(), repeatItems: a.rep.done() };
  });
  return out;
}

export interface HybridFit {
  weights: EvalWeights;
  /** The components the hybrid was fitted over. */
  components: EvalComponent[];
  ndcg: number;
  /** Validation NDCG@k of each single-component baseline (among the candidates) on the same users and candidate pools. */
  baselineNdcg: Record<string, number>;
  tried: number;
  gridStep: number;
  users: number;
}

/** Simplex grid step for C components: the finest of 0.1, 0.125, 0.2, 0.25, 0.5 with at most `maxPoints` points. */
export function gridStepFor(C: number, maxPoints = 1500): number {
  const binom = (n: number, r: number) => {
    let x = 1;
    for (let i = 1; i <= r; i++) x = (x * (n - r + i)) / i;
    return Math.round(x);
  };
  for (const step of [0.1, 0.125, 0.2, 0.25, 0.5]) if (binom(Math.round(1 / step) + C - 1, C - 1) <= maxPoints) return step;
  return 1;
}

/**
 * Fits the hybrid's weights on a validation split: candidates are a simplex grid over the usable
 * components plus every single-model baseline's exact weight vector (one-hot + tie-break), so the chosen
 * hybrid is never worse than its best component on validation. Scored by mean NDCG@k over at most
 * `maxUsers` users, on per-user candidate pools = the union of each component's top (k + 20) (seen items
 * excluded under excludeSeen), which contains every candidate's top k up to ties.
 * Under excludeSeen, repeat and recency are left out (they are 0 on every unseen item).
 */
export function fitHybridWeights(models: ComponentModels, validation: Pick<Split, 'test'>, opts: { k: number; excludeSeen: boolean; maxUsers?: number; seed?: number }): HybridFit {
  const k = opts.k;
  const users = evaluationUsers(validation.test, opts.maxUsers ?? 1000, opts.seed ?? 1);
  const FITTED = EVAL_COMPONENTS.filter((c) => models.available.has(c) && !(opts.excludeSeen && (c === 'repeat' || c === 'recency')));
  const C = FITTED.length;
  const step = gridStepFor(C);
  const candidates: { w: number[]; name?: string }[] = simplexGrid(C, step).map((w) => ({ w: w.map((x, ci) => x + (FITTED[ci] === 'popularity' ? 1e-6 : 0)) }));
  for (const [name, bw] of Object.entries(BASELINES)) {
    if (!Object.entries(bw).every(([c, x]) => !x || (FITTED as string[]).includes(c))) continue;
    candidates.push({ w: FITTED.map((c) => bw[c] ?? 0), name });
  }
  const pool = k + 20;
  const mask = new Uint8Array(models.items);
  const cand: Int32Array[] = [];
  const vals: Float64Array[] = [];
  for (const u of users) {
    const comps: Float64Array[] = FITTED.map((c) => models.component(u, c));
    const hist = models.train[u] ?? [];
    if (opts.excludeSeen) for (const h of hist) mask[h.item] = 1;
    const ids = new Set<number>();
    for (const v of comps) for (const i of topKMasked(v, pool, opts.excludeSeen ? mask : undefined)) ids.add(i);
    if (opts.excludeSeen) for (const h of hist) mask[h.item] = 0;
    const arr = Int32Array.from([...ids].sort((a, b) => a - b));
    const v = new Float64Array(arr.length * C);
    arr.forEach((item, j) => comps.forEach((x, ci) => (v[j * C + ci] = x[item])));
    cand.push(arr);
    vals.push(v);
  }
  const score = (w: number[]) => {
    let total = 0;
    users.forEach((u, x) => {
      const ids = cand[x];
      const v = vals[x];
      const s = new Float64Array(ids.length);
      for (let j = 0; j < ids.length; j++) {
        let acc = 0;
        for (let ci = 0; ci < C; ci++) acc += w[ci] * v[j * C + ci];
        s[j] = acc;
      }
      total += rankingScores(
        topK(s, k).map((j) => ids[j]),
        validation.test[u],
        k,
      ).ndcg;
    });
    return users.length ? total / users.length : 0;
  };
  let best = { w: candidates[0].w, ndcg: -1 };
  const baselineNdcg: Record<string, number> = {};
  for (const c of candidates) {
    const ndcg = score(c.w);
    if (c.name) baselineNdcg[c.name] = ndcg;
    if (ndcg > best.ndcg) best = { w: c.w, ndcg };
  }
  const weights: EvalWeights = {};
  FITTED.forEach((c, ci) => (weights[c] = best.w[ci]));
  return { weights, components: FITTED, ndcg: best.ndcg, baselineNdcg, tried: candidates.length, gridStep: step, users: users.length };
}
