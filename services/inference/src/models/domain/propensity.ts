import {
  argmax,
  classificationReport,
  ClassificationReport,
  mulberry32,
  predictProba,
  rocAuc,
  SoftmaxModel,
  stratifiedSplit,
  TrainOptions,
  trainSoftmax,
} from '@livepromo/ml';
import { SparseVector } from './text-features';

/**
 * Purchase propensity: logistic regression over a user's activity before their first purchase.
 * Each feature is log(1 + count) (watch time in minutes), standardised with the training
 * mean and standard deviation; the standardisation is folded into the exported weights, so
 * the ONNX graph takes the log(1 + count) vector as it is.
 */
export const PROPENSITY_FEATURES = [
  'course_views',
  'course_searches',
  'cart_adds',
  'live_room_enters',
  'watch_minutes',
  'comments',
  'likes',
  'gifts',
  'shares',
  'follows',
  'product_clicks',
  'coupon_claims',
  'lottery_joins',
] as const;
export type PropensityFeature = (typeof PROPENSITY_FEATURES)[number];
export const PROPENSITY_LABELS = ['no_purchase', 'purchase'] as const;

const COUNTED: Record<string, PropensityFeature> = {
  'course.viewed': 'course_views',
  'course.searched': 'course_searches',
  'cart.added': 'cart_adds',
  'live.room.entered': 'live_room_enters',
  'live.comment.posted': 'comments',
  'live.like': 'likes',
  'live.gift.sent': 'gifts',
  'live.shared': 'shares',
  'streamer.followed': 'follows',
  'live.product.clicked': 'product_clicks',
  'live.coupon.claimed': 'coupon_claims',
  'live.lottery.joined': 'lottery_joins',
};

/** The fields of a canonical event this model reads. */
export interface ActivityEvent {
  tenantId: string;
  userId?: string;
  type: string;
  occurredAt: string;
  payload: unknown;
}

export interface PropensityRow {
  key: string;
  /** raw counts (watch_minutes in minutes) */
  counts: Record<PropensityFeature, number>;
  purchased: boolean;
}

/**
 * Per tenant and user: counts of each activity strictly before the user's first order.paid
 * (all activity for users who never paid), and whether they paid. Events without a user are skipped.
 */
export function propensityRowsFromEvents(events: readonly ActivityEvent[]): PropensityRow[] {
  const firstPaid = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'order.paid' || !e.userId) continue;
    const k = `${e.tenantId}:${e.userId}`;
    const prev = firstPaid.get(k);
    if (!prev || e.occurredAt < prev) firstPaid.set(k, e.occurredAt);
  }
  const rows = new Map<string, PropensityRow>();
  for (const e of events) {
    if (!e.userId) continue;
    const k = `${e.tenantId}:${e.userId}`;
    let row = rows.get(k);
    if (!row) {
      row = {
        key: k,
        counts: Object.fromEntries(PROPENSITY_FEATURES.map((f) => [f, 0])) as Record<PropensityFeature, number>,
        purchased: firstPaid.has(k),
      };
      rows.set(k, row);
    }
    const cutoff = firstPaid.get(k);
    if (cutoff && e.occurredAt >= cutoff) continue;
    if (e.type === 'live.room.left') {
      const sec = Number((e.payload as { watchSec?: unknown } | null)?.watchSec ?? 0);
      if (Number.isFinite(sec) && sec > 0) row.counts.watch_minutes += sec / 60;
      continue;
    }
    const f = COUNTED[e.type];
    if (f) row.counts[f]++;
  }
  return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** log(1 + count) in PROPENSITY_FEATURES order; unknown names are ignored, missing ones are 0. */
export function propensityVector(counts: Partial<Record<string, number>>): Float32Array {
  return Float32Array.from(PROPENSITY_FEATURES.map((f) => Math.log1p(Math.max(0, Number(counts[f] ?? 0)))));
}

export interface TrainedPropensityModel {
  /** Weights over the raw log1p vector (standardisation folded in). */
  model: SoftmaxModel;
  report: ClassificationReport;
  trainRows: number;
  /** ROC AUC on the held-out rows: the probability that a random buyer scores above a random non-buyer. */
  auc: number;
  standardisation: { mean: number[]; std: number[] };
  training: Record<string, number | string>;
}

const dense = (v: Float32Array): SparseVector => ({ indices: Int32Array.from(v.keys()), values: v });

export function trainPropensity(
  rows: readonly PropensityRow[],
  opts: { train: TrainOptions; testFraction: number; splitSeed: number },
): TrainedPropensityModel {
  const y = rows.map((r) => (r.purchased ? 1 : 0));
  if (new Set(y).size < 2) throw new Error('propensity training needs both buyers and non-buyers');
  const { train, test } = stratifiedSplit(y, opts.testFraction, opts.splitSeed);
  const raw = rows.map((r) => propensityVector(r.counts));
  const d = PROPENSITY_FEATURES.length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const i of train) raw[i].forEach((v, f) => (mean[f] += v / train.length));
  for (const i of train) raw[i].forEach((v, f) => (std[f] += (v - mean[f]) ** 2 / train.length));
  for (let f = 0; f < d; f++) std[f] = Math.sqrt(std[f]) || 1;
  const z = raw.map((v) => dense(Float32Array.from(v, (x, f) => (x - mean[f]) / std[f])));
  const zModel = trainSoftmax(
    train.map((i) => z[i]),
    train.map((i) => y[i]),
    2,
    d,
    opts.train,
  );
  // Fold: w·((x − μ)/σ) + b = (w/σ)·x + (b − Σ w μ/σ)
  const weights = new Float32Array(2 * d);
  const bias = new Float32Array(2);
  for (let c = 0; c < 2; c++) {
    let shift = 0;
    for (let f = 0; f < d; f++) {
      weights[c * d + f] = zModel.weights[c * d + f] / std[f];
      shift += (zModel.weights[c * d + f] * mean[f]) / std[f];
    }
    bias[c] = zModel.bias[c] - shift;
  }
  const model: SoftmaxModel = { dim: d, classes: 2, weights, bias };
  const probs = test.map((i) => predictProba(model, dense(raw[i])));
  const report = classificationReport(
    test.map((i) => y[i]),
    probs.map((p) => argmax(p)),
    [...PROPENSITY_LABELS],
  );
  const { epochs, batchSize, learningRate, l2, seed } = opts.train;
  return {
    model,
    report,
    trainRows: train.length,
    auc: rocAuc(
      probs.map((p) => p[1]),
      test.map((i) => y[i] === 1),
    ),
    standardisation: { mean, std },
    training: {
      algorithm: 'logistic-regression/adam',
      epochs,
      batchSize,
      learningRate,
      l2,
      seed,
      splitSeed: opts.splitSeed,
      testFraction: opts.testFraction,
    },
  };
}

/**
 * Seeded synthetic activity for `users` users: each has a latent interest; activity counts are
 * Poisson-like in it, and the purchase is drawn with a logistic probability in interest, cart adds,
 * coupon claims and watch time. Returns canonical-shaped events (purchase last).
 */
export function syntheticPropensityEvents(users: number, seed: number, tenantId = 'synthetic'): ActivityEvent[] {
  const rand = mulberry32(seed);
  const poisson = (lambda: number) => {
    let k = 0;
    let p = Math.exp(-lambda);
    let s = p;
    const u = rand();
    while (u > s && k < 50) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  };
  const events: ActivityEvent[] = [];
  const base = Date.parse('2026-11-01T00:00:00.000Z');
  for (let u = 0; u < users; u++) {
    const userId = `u-${u}`;
    const interest = rand() * 2 - 0.5;
    const lam = Math.max(0.05, Math.exp(interest));
    let t = base + Math.floor(rand() * 86400000);
    const emit = (type: string, payload: unknown = {}) =>
      events.push({ tenantId, userId, type, occurredAt: new Date((t += 1000 + Math.floor(rand() * 60000))).toISOString(), payload });
    const counts = {
      views: poisson(2 * lam),
      searches: poisson(lam),
      enters: poisson(1.5 * lam),
      comments: poisson(2 * lam),
      likes: poisson(3 * lam),
      clicks: poisson(lam),
      carts: poisson(0.6 * lam),
      coupons: poisson(0.4 * lam),
    };
    for (let i = 0; i < counts.views; i++) emit('course.viewed');
    for (let i = 0; i < counts.searches; i++) emit('course.searched');
    let watch = 0;
    for (let i = 0; i < counts.enters; i++) {
      emit('live.room.entered');
      const sec = Math.floor(rand() * 1200 * lam);
      watch += sec;
      emit('live.room.left', { watchSec: sec });
    }
    for (let i = 0; i < counts.comments; i++) emit('live.comment.posted', { text: '…' });
    for (let i = 0; i < counts.likes; i++) emit('live.like', { count: 1 });
    for (let i = 0; i < counts.clicks; i++) emit('live.product.clicked');
    for (let i = 0; i < counts.carts; i++) emit('cart.added');
    for (let i = 0; i < counts.coupons; i++) emit('live.coupon.claimed');
    const logit = -3 + 0.9 * interest + 0.8 * counts.carts + 0.6 * counts.coupons + 0.3 * Math.log1p(watch / 60) + (rand() - 0.5);
    if (rand() < 1 / (1 + Math.exp(-logit))) emit('order.paid');
    // activity after the purchase must not leak into the features
    if (rand() < 0.5) emit('live.like', { count: 1 });
  }
  return events;
}

export const SYNTHETIC_PROPENSITY_PROVENANCE =
  'generated by services/inference/src/models/domain/propensity.ts syntheticPropensityEvents: 3000 simulated users ' +
  '(seed 5) whose activity counts follow a latent interest and whose purchase is drawn from a stated logistic rule; ' +
  'stratified 80/20 split. A placeholder until trained on real events with `livepromo train --events`.';

export const DEFAULT_PROPENSITY_TRAIN: TrainOptions = { epochs: 10, batchSize: 64, learningRate: 0.05, l2: 1e-4, seed: 1 };

/** The default purchase-propensity model, from the seeded synthetic activity. */
export function trainDefaultPropensityModel(): TrainedPropensityModel {
  return trainPropensity(propensityRowsFromEvents(syntheticPropensityEvents(3000, 5)), {
    train: DEFAULT_PROPENSITY_TRAIN,
    testFraction: 0.2,
    splitSeed: 3,
  });
}
