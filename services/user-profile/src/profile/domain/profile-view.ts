import { COURSE_CATEGORIES } from '@livepromo/contracts';
import { DAY_MS, decayFactor } from './decay';
import { ALPHA_KINDS, AlphaKind, behaviourScore, BehaviourScore, ScoreWeights } from './behaviour-score';
import { INTEREST_WEIGHTS, PRICE_BANDS, PriceBand, ProfileSettings, ProfileState, STREAMER_WEIGHTS, topCategoryOf } from './profile-state';
import { RFM_SEGMENT_RULES, RFM_THRESHOLDS, rfmAt, RfmResult } from './rfm';

/** Rounds away floating-point noise so that any delivery order reads the same (6 decimals). */
export function round6(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? round6(num / den) : null);

export interface ProfileView {
  tenantId: string;
  userId: string;
  version: number;
  asOf: string;
  interests: {
    categories: { category: string; affinity: number; share: number }[];
    topics: { topic: string; affinity: number }[];
    topCategory: string | null;
    unattributedAffinity: number;
    computation: { formula: string; halfLifeDays: number; weights: typeof INTEREST_WEIGHTS };
  };
  purchaseHabits: {
    rfm: Omit<RfmResult, 'recencyDays'> & { recencyDays: number | null; rules: Record<string, string>; thresholds: typeof RFM_THRESHOLDS; lastPaidAt: string | null; firstPaidAt: string | null };
    paidOrders: number;
    paidMinor: number;
    refundedMinor: number;
    averageOrderValueMinor: number | null;
    currency: string | null;
    discountSensitivity: { discountedOrderShare: number | null; averageDiscountRate: number | null; couponClaims: number };
    refundRate: number | null;
    refunds: number;
    preferredBuyingHours: number[];
    buyingHourHistogram: number[];
    priceBand: { preferred: PriceBand | null; counts: Record<PriceBand, number>; bounds: { lowBelowMinor: number; midBelowMinor: number } };
    computation: Record<string, string>;
  };
  interaction: {
    liveSessionsAttended: number;
    roomEntries: number;
    watchEvents: number;
    totalWatchSec: number;
    averageWatchSec: number | null;
    commentsPerWatchedMinute: number | null;
    likesPerWatchedMinute: number | null;
    sharesPerWatchedMinute: number | null;
    counts: Record<string, number>;
    favouriteStreamers: { streamerId: string; score: number }[];
    computation: Record<string, string | Record<string, number>>;
  };
  behaviourScore: BehaviourScore & { weightsSource: 'tenant' | 'default' };
  segments: string[];
  sample: { eventsApplied: number; firstSeenAt: string | null; lastSeenAt: string | null };
}

export interface StoredProfile {
  tenantId: string;
  userId: string;
  version: number;
  state: ProfileState;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Top `n` entries of a map by value (ties by key), values decayed to asOf and rounded. */
function topEntries(map: Record<string, number>, factor: number, n: number): [string, number][] {
  return Object.entries(map)
    .map(([k, v]) => [k, round6(v * factor)] as [string, number])
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}

/** Interest cohort id of a top category ('interest:<category>'). */
export function interestCohortOf(topCategory: string | null): string | null {
  return topCategory ? `interest:${topCategory}` : null;
}

/**
 * The read model of a profile at `asOf`: every number with how it was computed.
 * Pure: the same stored state, instant, weights and settings give the same view.
 */
export function buildProfileView(p: StoredProfile, asOfMs: number, weights: ScoreWeights, weightsSource: 'tenant' | 'default', s: ProfileSettings): ProfileView {
  const st = p.state;
  const f = st.eventsApplied > 0 ? decayFactor(st.refMs, asOfMs, s.halfLifeMs) : 0;
  const halfLifeDays = round6(s.halfLifeMs / DAY_MS);

  const catTotal = Object.values(st.decayed.categories).reduce((a, b) => a + b, 0);
  const categories = topEntries(st.decayed.categories, f, COURSE_CATEGORIES.length + 20).map(([category, affinity]) => ({
    category,
    affinity,
    share: catTotal > 0 ? round6((st.decayed.categories[category] ?? 0) / catTotal) : 0,
  }));
  const topCategory = topCategoryOf(st.decayed.categories, COURSE_CATEGORIES);

  const pu = st.purchase;
  const net = pu.paidMinor - pu.refundedMinor;
  const rfm = rfmAt({ lastPaidMs: pu.lastPaidMs, paidOrders: pu.paidOrders, netMonetaryMinor: net }, asOfMs);
  const hourOrder = pu.hours.map((count, hour) => ({ hour, count })).filter((x) => x.count > 0);
  hourOrder.sort((a, b) => b.count - a.count || a.hour - b.hour);
  const bandPreferred = PRICE_BANDS.reduce<PriceBand | null>((best, b) => (pu.bands[b] > 0 && (best === null || pu.bands[b] > pu.bands[best]) ? b : best), null);
  const currencies = Object.entries(pu.currencies).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

  const c = st.counts;
  const watchedMinutes = st.watchSec / 60;

  const eng = (k: string) => (st.decayed.engagement[k] ?? 0) * f;
  const interactions = Object.fromEntries(ALPHA_KINDS.map((k) => [k, eng(k)])) as Record<AlphaKind, number>;
  const score = behaviourScore({ interactions, purchases: eng('purchases'), watchHours: eng('watchMinutes') / 60 }, weights);
  const roundedScore = {
    value: round6(score.value),
    formula: score.formula,
    terms: score.terms.map((t) => ({ ...t, decayedValue: round6(t.decayedValue), input: round6(t.input), contribution: round6(t.contribution) })),
    weightsSource,
  };

  const cohort = interestCohortOf(topCategory);
  return {
    tenantId: p.tenantId,
    userId: p.userId,
    version: p.version,
    asOf: new Date(asOfMs).toISOString(),
    interests: {
      categories,
      topics: topEntries(st.decayed.topics, f, 20).map(([topic, affinity]) => ({ topic, affinity })),
      topCategory,
      unattributedAffinity: round6(Object.values(st.decayed.unattributed).reduce((a, b) => a + b, 0) * f),
      computation: {
        formula: 'affinity_c = Σ_e w(e)·2^(−(asOf − t_e)/h) over events e attributed to category c; share = affinity_c / Σ affinity; topics get the view weight per viewed course topic',
        halfLifeDays,
        weights: INTEREST_WEIGHTS,
      },
    },
    purchaseHabits: {
      rfm: {
        ...rfm,
        recencyDays: rfm.recencyDays === null ? null : round6(rfm.recencyDays),
        rules: RFM_SEGMENT_RULES,
        thresholds: RFM_THRESHOLDS,
        lastPaidAt: iso(pu.lastPaidMs),
        firstPaidAt: iso(pu.firstPaidMs),
      },
      paidOrders: pu.paidOrders,
      paidMinor: pu.paidMinor,
      refundedMinor: pu.refundedMinor,
      averageOrderValueMinor: ratio(pu.paidMinor, pu.paidOrders),
      currency: currencies[0]?.[0] ?? null,
      discountSensitivity: {
        discountedOrderShare: ratio(pu.discountedOrders, pu.paidOrders),
        averageDiscountRate: ratio(pu.discountMinor, pu.listMinor),
        couponClaims: c.couponClaims,
      },
      refundRate: ratio(pu.refunds, pu.paidOrders),
      refunds: pu.refunds,
      preferredBuyingHours: hourOrder.slice(0, 3).map((x) => x.hour),
      buyingHourHistogram: [...pu.hours],
      priceBand: { preferred: bandPreferred, counts: { ...pu.bands }, bounds: { lowBelowMinor: s.priceLowMaxMinor, midBelowMinor: s.priceMidMaxMinor } },
      computation: {
        recency: 'days from the last paid order to asOf',
        frequency: 'number of paid orders (all time)',
        monetary: 'Σ paid − Σ refunded, minor units',
        averageOrderValue: 'Σ paid / paid orders',
        discountedOrderShare: 'paid orders with a discount or coupon / paid orders',
        averageDiscountRate: 'Σ discount / Σ (paid + discount)',
        refundRate: 'refunds / paid orders',
        preferredBuyingHours: `up to 3 local hours (UTC${s.tzOffsetMinutes >= 0 ? '+' : '−'}${Math.abs(s.tzOffsetMinutes) / 60}) with the most paid orders, ties by hour`,
        priceBand: 'band with the most paid orders (paid amount < lowBelowMinor: low, < midBelowMinor: mid, else high), ties to the cheaper band',
      },
    },
    interaction: {
      liveSessionsAttended: st.sessions.length + st.sessionsOverflow,
      roomEntries: c.roomEntries,
      watchEvents: c.watchEvents,
      totalWatchSec: round6(st.watchSec),
      averageWatchSec: ratio(st.watchSec, c.watchEvents),
      commentsPerWatchedMinute: ratio(c.comments, watchedMinutes),
      likesPerWatchedMinute: ratio(c.likes, watchedMinutes),
      sharesPerWatchedMinute: ratio(c.shares, watchedMinutes),
      counts: { ...c },
      favouriteStreamers: topEntries(st.decayed.streamers, f, 3).map(([streamerId, score]) => ({ streamerId, score })),
      computation: {
        liveSessionsAttended: 'distinct live sessions entered',
        averageWatchSec: 'Σ watchSec of room-leave events / their number',
        perWatchedMinute: 'count / (Σ watchSec / 60)',
        favouriteStreamers: 'top 3 by Σ w(e)·2^(−(asOf − t_e)/h) over events with that streamer',
        streamerWeights: STREAMER_WEIGHTS,
      },
    },
    behaviourScore: roundedScore,
    segments: [`rfm:${rfm.segment}`, ...(cohort ? [cohort] : [])],
    sample: { eventsApplied: st.eventsApplied, firstSeenAt: st.eventsApplied ? iso(st.firstSeenMs) : null, lastSeenAt: st.eventsApplied ? iso(st.lastSeenMs) : null },
  };
}
