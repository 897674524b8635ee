import { COURSE_CATEGORIES } from '@livepromo/contracts';
import { l1Normalised } from '@livepromo/ml';

/** Interest / content dimensions: the course categories, in this order. */
export const CATEGORIES = COURSE_CATEGORIES;
export const DIMS = CATEGORIES.length;

export function categoryIndex(c: string | undefined | null): number {
  return c ? (CATEGORIES as readonly string[]).indexOf(c) : -1;
}

/** What the service keeps about a streamer (profile + additive counters from live sessions and orders). */
export interface StreamerRecord {
  streamerId: string;
  name: string | null;
  profileCategories: string[];
  followers: number;
  priceBand: 'low' | 'mid' | 'high' | null;
  sessions: number;
  liveSec: number;
  enters: number;
  watchSec: number;
  interactions: number;
  orders: number;
  revenueMinor: number;
  /** Categories of the streamer's live sessions, counted. */
  sessionCategories: Partial<Record<string, number>>;
}

/** The feature vector and its parts, each with a plain meaning. */
export interface StreamerFeatures {
  /** Content category distribution: profile categories (1 each) + session categories (1 per session), L1-normalised. */
  content: Float64Array;
  /** Interest profile of the actual audience: Σ strength(u,s)·interest(u), L1-normalised. */
  audience: Float64Array;
  followers: number;
  /** Little's law: total watch seconds / live seconds. */
  avgConcurrentViewers: number;
  /** Interactions (comments, likes, gifts, shares, follows, clicks, coupons, lotteries) per room entry. */
  interactionRate: number;
  /** Paid orders per room entry, raw. */
  conversionRate: number;
  /** (orders + m·p0) / (entries + m): shrunk towards the tenant rate p0 with m pseudo-entries. */
  conversionRateSmoothed: number;
  /** Revenue (minor units) per live hour. */
  revenuePerLiveHour: number;
  /** low 0, mid 0.5, high 1; unknown 0.5. */
  priceBand: number;
  /** Audience a live session reaches: room entries per session, or followers × followerReach without sessions. */
  reach: number;
}

export const NUMERIC_FEATURES = [
  'log_followers',
  'log_avg_concurrent_viewers',
  'interaction_rate',
  'conversion_rate',
  'log_revenue_per_live_hour',
  'price_band',
] as const;

/** Names of the clustering columns: content_<cat>…, audience_<cat>…, then the numeric features. */
export const FEATURE_NAMES: string[] = [...CATEGORIES.map((c) => `content_${c}`), ...CATEGORIES.map((c) => `audience_${c}`), ...NUMERIC_FEATURES];

export interface FeatureContext {
  /** Tenant-wide paid orders per room entry (the shrinkage target). */
  tenantConversion: number;
  /** Pseudo-entries m of the shrinkage. */
  shrinkage: number;
  /** Share of followers assumed reached by a session when there is no session history. */
  followerReach: number;
}

const PRICE_BAND = { low: 0, mid: 0.5, high: 1 } as const;

export function contentVector(r: Pick<StreamerRecord, 'profileCategories' | 'sessionCategories'>): Float64Array {
  const v = new Float64Array(DIMS);
  for (const c of r.profileCategories) {
    const i = categoryIndex(c);
    if (i >= 0) v[i] += 1;
  }
  for (const [c, n] of Object.entries(r.sessionCategories)) {
    const i = categoryIndex(c);
    if (i >= 0) v[i] += n ?? 0;
  }
  return l1Normalised(v);
}

export function computeFeatures(r: StreamerRecord, audience: Float64Array, ctx: FeatureContext): StreamerFeatures {
  const conversionRate = r.enters > 0 ? r.orders / r.enters : 0;
  return {
    content: contentVector(r),
    audience: l1Normalised(audience),
    followers: r.followers,
    avgConcurrentViewers: r.liveSec > 0 ? r.watchSec / r.liveSec : 0,
    interactionRate: r.enters > 0 ? r.interactions / r.enters : 0,
    conversionRate,
    conversionRateSmoothed: (r.orders + ctx.shrinkage * ctx.tenantConversion) / (r.enters + ctx.shrinkage),
    revenuePerLiveHour: r.liveSec > 0 ? r.revenueMinor / (r.liveSec / 3600) : 0,
    priceBand: r.priceBand ? PRICE_BAND[r.priceBand] : 0.5,
    reach: r.sessions > 0 ? r.enters / r.sessions : r.followers * ctx.followerReach,
  };
}

/** The clustering row (before standardisation); heavy-tailed counts go through log1p. */
export function featureRow(f: StreamerFeatures): number[] {
  return [
    ...f.content,
    ...f.audience,
    Math.log1p(f.followers),
    Math.log1p(f.avgConcurrentViewers),
    f.interactionRate,
    f.conversionRate,
    Math.log1p(f.revenuePerLiveHour),
    f.priceBand,
  ];
}

/** Implicit feedback strength of a user–streamer pair: entries + watch minutes/10 + 0.2·interactions + 3·purchases. */
export function interactionStrength(p: { enters: number; watchSec: number; interactions: number; purchases: number }): number {
  return p.enters + p.watchSec / 600 + 0.2 * p.interactions + 3 * p.purchases;
}
