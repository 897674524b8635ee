/**
 * Event-time windows over one live session. Events are folded into 10-second buckets of
 * additive counters; every window (10 s, 1 min, 5 min) is the sum of the buckets it covers,
 * so a window is never computed from anything but durable, idempotently applied counters.
 */
export const BUCKET_MS = 10_000;
export const WINDOW_SECONDS = [10, 60, 300] as const;
export type WindowSec = (typeof WINDOW_SECONDS)[number];

/** Additive counters of one bucket (or of any span of buckets). */
export const COUNTER_FIELDS = [
  'entered',
  'left',
  'newViewers',
  'watchSec',
  'comments',
  'likes',
  'gifts',
  'giftValueMinor',
  'shares',
  'follows',
  'clicks',
  'orders',
  'revenueMinor',
  'coupons',
  'lotteryJoins',
  'classified',
  'intentPrice',
  'intentHowToBuy',
  'intentCourseContent',
  'intentComplaint',
  'intentPraise',
  'intentOther',
  'sentPositive',
  'sentNeutral',
  'sentNegative',
  'sentimentSum',
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type Counters = Record<CounterField, number>;

export function emptyCounters(): Counters {
  const c = {} as Counters;
  for (const f of COUNTER_FIELDS) c[f] = 0;
  return c;
}

export function addCounters(into: Counters, from: Partial<Counters>): Counters {
  for (const f of COUNTER_FIELDS) into[f] += from[f] ?? 0;
  return into;
}

export function bucketStart(ms: number): number {
  return Math.floor(ms / BUCKET_MS) * BUCKET_MS;
}

/** A live signal, already reduced from a canonical event to what windows need. */
export type LiveSignal =
  | { kind: 'entered'; newViewer: boolean }
  | { kind: 'left'; watchSec: number }
  | { kind: 'comment' }
  | { kind: 'like'; count: number }
  | { kind: 'gift'; valueMinor: number }
  | { kind: 'share' }
  | { kind: 'follow' }
  | { kind: 'click' }
  | { kind: 'order'; amountMinor: number }
  | { kind: 'coupon' }
  | { kind: 'lottery' }
  | { kind: 'classified'; intent: string; sentiment: 'positive' | 'neutral' | 'negative'; sentimentScore: number };

const INTENT_FIELD: Record<string, CounterField> = {
  price_question: 'intentPrice',
  how_to_buy: 'intentHowToBuy',
  course_content: 'intentCourseContent',
  complaint: 'intentComplaint',
  praise: 'intentPraise',
};

/** The counter deltas one signal contributes to its bucket. */
export function signalDelta(s: LiveSignal): Partial<Counters> {
  switch (s.kind) {
    case 'entered':
      return { entered: 1, newViewers: s.newViewer ? 1 : 0 };
    case 'left':
      return { left: 1, watchSec: s.watchSec };
    case 'comment':
      return { comments: 1 };
    case 'like':
      return { likes: s.count };
    case 'gift':
      return { gifts: 1, giftValueMinor: s.valueMinor };
    case 'share':
      return { shares: 1 };
    case 'follow':
      return { follows: 1 };
    case 'click':
      return { clicks: 1 };
    case 'order':
      return { orders: 1, revenueMinor: s.amountMinor };
    case 'coupon':
      return { coupons: 1 };
    case 'lottery':
      return { lotteryJoins: 1 };
    case 'classified': {
      const sentField: CounterField = s.sentiment === 'positive' ? 'sentPositive' : s.sentiment === 'negative' ? 'sentNegative' : 'sentNeutral';
      return { classified: 1, [INTENT_FIELD[s.intent] ?? 'intentOther']: 1, [sentField]: 1, sentimentSum: s.sentimentScore };
    }
  }
}

export interface Bucket {
  start: number;
  counters: Counters;
}

/** Metric names and whether a higher value is better (+1), worse (−1) or neither (0). */
export const METRIC_DIRECTION = {
  concurrentViewers: 1,
  newViewers: 1,
  retentionRate: 1,
  dropOffRate: -1,
  avgWatchSec: 1,
  commentsPerMin: 1,
  likesPerMin: 1,
  giftsPerMin: 1,
  sharesPerMin: 1,
  engagementPerViewer: 1,
  productClicks: 1,
  orders: 1,
  revenuePerThousandViewers: 1,
  clickToOrderConversion: 1,
  priceQuestionsPerMin: 0,
  howToBuyQuestionsPerMin: 0,
  courseContentQuestionsPerMin: 0,
  complaintsPerMin: -1,
  negativeShare: -1,
  avgSentiment: 1,
  classifiedComments: 0,
} as const;
export type MetricName = keyof typeof METRIC_DIRECTION;
export const METRIC_NAMES = Object.keys(METRIC_DIRECTION) as MetricName[];
export type WindowMetrics = Record<MetricName, number>;

/** How each metric is computed (served with every response that carries metrics). */
export const METRIC_FORMULAS: Record<MetricName, string> = {
  concurrentViewers: 'max(0, entries − exits) counted from session start to window end',
  newViewers: 'users entering this session for the first time (by userId) within the window',
  retentionRate: '1 − dropOffRate',
  dropOffRate: 'exits in window / max(1, viewers at window start + entries in window)',
  avgWatchSec: 'Σ watchSec of exits in window / exits in window (0 without exits)',
  commentsPerMin: 'comments in window · 60 / windowSec',
  likesPerMin: 'likes (sum of counts) · 60 / windowSec',
  giftsPerMin: 'gifts · 60 / windowSec',
  sharesPerMin: 'shares · 60 / windowSec',
  engagementPerViewer: '(comments + likes + gifts + shares) · 60 / windowSec / max(1, concurrentViewers)',
  productClicks: 'product clicks in window',
  orders: 'order.paid events of this session in window',
  revenuePerThousandViewers: '(Σ paid amount in minor units / 100) · 1000 / max(1, concurrentViewers)',
  clickToOrderConversion: 'orders / productClicks (0 without clicks)',
  priceQuestionsPerMin: 'comments classified price_question · 60 / windowSec',
  howToBuyQuestionsPerMin: 'comments classified how_to_buy · 60 / windowSec',
  courseContentQuestionsPerMin: 'comments classified course_content · 60 / windowSec',
  complaintsPerMin: 'comments classified complaint · 60 / windowSec',
  negativeShare: 'negative classified comments / classified comments (0 without any)',
  avgSentiment: 'mean sentimentScore of classified comments (0 without any)',
  classifiedComments: 'comments classified by the inference service in window',
};

/** Sums the counters of the buckets in [fromMs, toMs). `buckets` may be in any order. */
export function sumBuckets(buckets: readonly Bucket[], fromMs: number, toMs: number): Counters {
  const c = emptyCounters();
  for (const b of buckets) if (b.start >= fromMs && b.start < toMs) addCounters(c, b.counters);
  return c;
}

/** Metrics of the window [startMs, startMs + windowSec·1000), from the session's buckets. */
export function computeWindowMetrics(buckets: readonly Bucket[], startMs: number, windowSec: number): WindowMetrics {
  const endMs = startMs + windowSec * 1000;
  const before = sumBuckets(buckets, -Infinity, startMs);
  const w = sumBuckets(buckets, startMs, endMs);
  const perMin = 60 / windowSec;
  const viewersAtStart = Math.max(0, before.entered - before.left);
  const concurrent = Math.max(0, before.entered + w.entered - before.left - w.left);
  const dropOff = w.left / Math.max(1, viewersAtStart + w.entered);
  return {
    concurrentViewers: concurrent,
    newViewers: w.newViewers,
    retentionRate: 1 - Math.min(1, dropOff),
    dropOffRate: Math.min(1, dropOff),
    avgWatchSec: w.left > 0 ? w.watchSec / w.left : 0,
    commentsPerMin: w.comments * perMin,
    likesPerMin: w.likes * perMin,
    giftsPerMin: w.gifts * perMin,
    sharesPerMin: w.shares * perMin,
    engagementPerViewer: ((w.comments + w.likes + w.gifts + w.shares) * perMin) / Math.max(1, concurrent),
    productClicks: w.clicks,
    orders: w.orders,
    revenuePerThousandViewers: ((w.revenueMinor / 100) * 1000) / Math.max(1, concurrent),
    clickToOrderConversion: w.clicks > 0 ? w.orders / w.clicks : 0,
    priceQuestionsPerMin: w.intentPrice * perMin,
    howToBuyQuestionsPerMin: w.intentHowToBuy * perMin,
    courseContentQuestionsPerMin: w.intentCourseContent * perMin,
    complaintsPerMin: w.intentComplaint * perMin,
    negativeShare: w.classified > 0 ? w.sentNegative / w.classified : 0,
    avgSentiment: w.classified > 0 ? w.sentimentSum / w.classified : 0,
    classifiedComments: w.classified,
  };
}

/** Viewers who could leave during the window: viewers at its start + entries within it. */
export function viewersAtRisk(buckets: readonly Bucket[], startMs: number, windowSec: number): number {
  const before = sumBuckets(buckets, -Infinity, startMs);
  const w = sumBuckets(buckets, startMs, startMs + windowSec * 1000);
  return Math.max(0, before.entered - before.left) + w.entered;
}

/**
 * Windows of length `windowSec` that close when the watermark moves from `closedUntilMs`:
 * every aligned window [s, s + len) with s ≥ closedUntilMs and s + len ≤ watermarkMs.
 * Returns window starts, oldest first, and at most `max` of them (the newest ones).
 */
export function closableWindows(closedUntilMs: number, watermarkMs: number, windowSec: number, max = 720): number[] {
  const len = windowSec * 1000;
  const first = Math.ceil(closedUntilMs / len) * len;
  const lastEnd = Math.floor(watermarkMs / len) * len;
  const out: number[] = [];
  for (let s = Math.max(first, lastEnd - max * len); s + len <= lastEnd; s += len) out.push(s);
  return out;
}

/**
 * Already closed windows of length `windowSec` that a late change to the buckets in [fromMs, toMs)
 * alters: those overlapping it and the one after each (its prevChange), up to `closedUntilMs`.
 * A change to entries or exits also alters every later window's viewers: pass toMs = Infinity.
 * Returns window starts, oldest first, at most `max` of them (the newest ones).
 */
export function revisableWindows(closedUntilMs: number | undefined, fromMs: number, toMs: number, windowSec: number, max = 720): number[] {
  if (closedUntilMs === undefined || fromMs >= closedUntilMs) return [];
  const len = windowSec * 1000;
  const first = Math.floor(fromMs / len) * len;
  const stop = Math.min(closedUntilMs, Math.ceil(toMs / len) * len + len);
  const out: number[] = [];
  for (let s = Math.max(first, closedUntilMs - max * len); s + len <= stop; s += len) out.push(s);
  return out;
}
