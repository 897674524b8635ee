import { isExternalEvent } from '@livepromo/contracts';
import type { CanonicalEvent, CourseCategory } from '@livepromo/contracts';
import { addDecayed, decayFactor, rescaleMap } from './decay';

/**
 * The stored aggregate of one (tenant, user): commutative sums, counts, min/max and decayed sums
 * referenced at `refMs`, so applying the same set of events in any order gives the same state
 * (up to floating-point rounding, which the read model rounds away).
 */

/** Interest weight per signal (added to the category, and for views to each sub-topic). */
export const INTEREST_WEIGHTS = {
  view: 1,
  /** a course saved for later (Taobao-style `fav`): a stronger signal than a view */
  favourite: 2,
  search: 1.5,
  /** per watched minute, at most `watchMinuteCap` minutes per leave event */
  watchMinute: 0.2,
  watchMinuteCap: 120,
  comment: 0.5,
  click: 2,
  purchase: 5,
} as const;

/** Engagement weight per signal toward the streamer it happened with (favourite streamers). */
export const STREAMER_WEIGHTS = {
  watchMinute: 0.2,
  comment: 0.5,
  like: 0.05,
  share: 1,
  gift: 1,
  follow: 3,
  click: 2,
  purchase: 5,
} as const;

export const ENGAGEMENT_KINDS = ['views', 'searches', 'comments', 'likes', 'shares', 'clicks', 'follows', 'purchases', 'watchMinutes'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

export const COUNT_KINDS = [
  'views',
  'searches',
  'comments',
  'likes',
  'shares',
  'gifts',
  'follows',
  'clicks',
  'couponClaims',
  'lotteryJoins',
  'cartAdds',
  'ordersCreated',
  'roomEntries',
  'watchEvents',
] as const;
export type CountKind = (typeof COUNT_KINDS)[number];

export const PRICE_BANDS = ['low', 'mid', 'high'] as const;
export type PriceBand = (typeof PRICE_BANDS)[number];

/** Bounds that keep a profile row small; beyond them the smallest entry is dropped (documented). */
export const CAPS = { topics: 100, streamers: 50, sessions: 500 } as const;

export interface PurchaseState {
  paidOrders: number;
  paidMinor: number;
  discountedOrders: number;
  discountMinor: number;
  /** Σ (paid + discount): what the orders would have cost without discount. */
  listMinor: number;
  refunds: number;
  refundedMinor: number;
  firstPaidMs: number | null;
  lastPaidMs: number | null;
  /** paid orders per local hour 0..23 */
  hours: number[];
  bands: Record<PriceBand, number>;
  currencies: Record<string, number>;
}

export interface ProfileState {
  schema: 1;
  /** Reference time of every decayed sum below (the latest event time seen). */
  refMs: number;
  firstSeenMs: number;
  lastSeenMs: number;
  eventsApplied: number;
  decayed: {
    categories: Record<string, number>;
    topics: Record<string, number>;
    streamers: Record<string, number>;
    engagement: Record<string, number>;
    /** interest signals whose category was unknown (e.g. a live room whose session did not say) */
    unattributed: Record<string, number>;
  };
  counts: Record<CountKind, number>;
  watchSec: number;
  sessions: string[];
  sessionsOverflow: number;
  purchase: PurchaseState;
}

export interface ProfileSettings {
  halfLifeMs: number;
  /** Local time offset used for "preferred buying hours" (480 = UTC+8). */
  tzOffsetMinutes: number;
  /** A paid amount below this is "low". */
  priceLowMaxMinor: number;
  /** A paid amount below this (and not low) is "mid"; the rest "high". */
  priceMidMaxMinor: number;
}

/** What the fold may know about a live session (from `live.session.started`). */
export type SessionCategoryLookup = (liveSessionId: string) => CourseCategory | undefined;

export function emptyProfileState(): ProfileState {
  return {
    schema: 1,
    refMs: 0,
    firstSeenMs: 0,
    lastSeenMs: 0,
    eventsApplied: 0,
    decayed: { categories: {}, topics: {}, streamers: {}, engagement: {}, unattributed: {} },
    counts: Object.fromEntries(COUNT_KINDS.map((k) => [k, 0])) as Record<CountKind, number>,
    watchSec: 0,
    sessions: [],
    sessionsOverflow: 0,
    purchase: {
      paidOrders: 0,
      paidMinor: 0,
      discountedOrders: 0,
      discountMinor: 0,
      listMinor: 0,
      refunds: 0,
      refundedMinor: 0,
      firstPaidMs: null,
      lastPaidMs: null,
      hours: new Array<number>(24).fill(0),
      bands: { low: 0, mid: 0, high: 0 },
      currencies: {},
    },
  };
}

/** The event types that change a user's profile. */
export const PROFILE_EVENT_TYPES = new Set<CanonicalEvent['type']>([
  'course.viewed',
  'course.searched',
  'cart.added',
  'order.created',
  'order.paid',
  'order.refunded',
  'live.room.entered',
  'live.room.left',
  'live.comment.posted',
  'live.like',
  'live.gift.sent',
  'live.shared',
  'streamer.followed',
  'live.product.clicked',
  'live.coupon.claimed',
  'live.lottery.joined',
]);

export function affectsProfile(e: CanonicalEvent): boolean {
  return !!e.userId && PROFILE_EVENT_TYPES.has(e.type);
}

export function priceBandOf(amountMinor: number, s: Pick<ProfileSettings, 'priceLowMaxMinor' | 'priceMidMaxMinor'>): PriceBand {
  if (amountMinor < s.priceLowMaxMinor) return 'low';
  if (amountMinor < s.priceMidMaxMinor) return 'mid';
  return 'high';
}

export function localHourOf(tMs: number, tzOffsetMinutes: number): number {
  const local = tMs + tzOffsetMinutes * 60_000;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
}

function capMap(map: Record<string, number>, cap: number): void {
  const keys = Object.keys(map);
  if (keys.length <= cap) return;
  keys.sort((a, b) => map[a] - map[b] || (a < b ? 1 : -1));
  for (const k of keys.slice(0, keys.length - cap)) delete map[k];
}

/** Moves the reference of every decayed sum to `newRefMs` (only ever forward). */
function advanceReference(state: ProfileState, newRefMs: number, halfLifeMs: number): void {
  if (state.eventsApplied === 0) {
    state.refMs = newRefMs;
    return;
  }
  if (newRefMs <= state.refMs) return;
  const f = decayFactor(state.refMs, newRefMs, halfLifeMs);
  for (const map of Object.values(state.decayed)) rescaleMap(map, f);
  state.refMs = newRefMs;
}

/**
 * Folds one event into the state (mutating it). The caller guarantees the event was not
 * applied before (idempotency by eventId lives in the store) and that it affects profiles.
 */
export function applyEvent(state: ProfileState, e: CanonicalEvent, settings: ProfileSettings, sessionCategory: SessionCategoryLookup): void {
  if (!isExternalEvent(e)) return; // derived types (scores, notices, classifications) are not behaviour
  const t = Date.parse(e.occurredAt);
  if (!Number.isFinite(t)) return;
  advanceReference(state, t, settings.halfLifeMs);
  const h = settings.halfLifeMs;
  const ref = state.refMs;
  const d = state.decayed;
  const c = state.counts;
  const engage = (kind: EngagementKind, w: number) => addDecayed(d.engagement, kind, w, t, ref, h);
  const streamer = (w: number) => {
    if (e.streamerId) addDecayed(d.streamers, e.streamerId, w, t, ref, h);
  };
  const interest = (category: string | undefined, w: number, signal: string) => {
    if (category) addDecayed(d.categories, category, w, t, ref, h);
    else addDecayed(d.unattributed, signal, w, t, ref, h);
  };
  const liveCategory = () => (e.liveSessionId ? sessionCategory(e.liveSessionId) : undefined);

  switch (e.type) {
    case 'course.viewed':
      c.views++;
      engage('views', 1);
      interest(e.payload.category, INTEREST_WEIGHTS.view, 'view');
      for (const topic of new Set(e.payload.topics ?? [])) addDecayed(d.topics, topic, INTEREST_WEIGHTS.view, t, ref, h);
      capMap(d.topics, CAPS.topics);
      break;
    case 'course.favourited':
      interest(undefined, INTEREST_WEIGHTS.favourite, 'favourite');
      for (const topic of new Set(e.payload.topics ?? [])) addDecayed(d.topics, topic, INTEREST_WEIGHTS.favourite, t, ref, h);
      capMap(d.topics, CAPS.topics);
      break;
    case 'course.searched':
      c.searches++;
      engage('searches', 1);
      interest(e.payload.category, INTEREST_WEIGHTS.search, 'search');
      break;
    case 'cart.added':
      c.cartAdds++;
      break;
    case 'order.created':
      c.ordersCreated++;
      break;
    case 'order.paid': {
      const p = state.purchase;
      const amount = e.payload.amount.amountMinor;
      const discount = e.payload.discount?.amountMinor ?? 0;
      p.paidOrders++;
      p.paidMinor += amount;
      p.listMinor += amount + discount;
      p.discountMinor += discount;
      if (discount > 0 || e.payload.couponId) p.discountedOrders++;
      p.firstPaidMs = p.firstPaidMs === null ? t : Math.min(p.firstPaidMs, t);
      p.lastPaidMs = p.lastPaidMs === null ? t : Math.max(p.lastPaidMs, t);
      p.hours[localHourOf(t, settings.tzOffsetMinutes)]++;
      p.bands[priceBandOf(amount, settings)]++;
      p.currencies[e.payload.amount.currency] = (p.currencies[e.payload.amount.currency] ?? 0) + 1;
      engage('purchases', 1);
      interest(e.payload.category ?? liveCategory(), INTEREST_WEIGHTS.purchase, 'purchase');
      streamer(STREAMER_WEIGHTS.purchase);
      break;
    }
    case 'order.refunded':
      state.purchase.refunds++;
      state.purchase.refundedMinor += e.payload.amount.amountMinor;
      break;
    case 'live.room.entered':
      c.roomEntries++;
      if (e.liveSessionId && !state.sessions.includes(e.liveSessionId)) {
        if (state.sessions.length < CAPS.sessions) {
          state.sessions.push(e.liveSessionId);
          state.sessions.sort();
        } else state.sessionsOverflow++;
      }
      break;
    case 'live.room.left': {
      const minutes = e.payload.watchSec / 60;
      c.watchEvents++;
      state.watchSec += e.payload.watchSec;
      engage('watchMinutes', minutes);
      interest(liveCategory(), INTEREST_WEIGHTS.watchMinute * Math.min(minutes, INTEREST_WEIGHTS.watchMinuteCap), 'watch');
      streamer(STREAMER_WEIGHTS.watchMinute * minutes);
      break;
    }
    case 'live.comment.posted':
      c.comments++;
      engage('comments', 1);
      interest(liveCategory(), INTEREST_WEIGHTS.comment, 'comment');
      streamer(STREAMER_WEIGHTS.comment);
      break;
    case 'live.like':
      c.likes += e.payload.count;
      engage('likes', e.payload.count);
      streamer(STREAMER_WEIGHTS.like * e.payload.count);
      break;
    case 'live.gift.sent':
      c.gifts++;
      streamer(STREAMER_WEIGHTS.gift);
      break;
    case 'live.shared':
      c.shares++;
      engage('shares', 1);
      streamer(STREAMER_WEIGHTS.share);
      break;
    case 'streamer.followed':
      c.follows++;
      engage('follows', 1);
      streamer(STREAMER_WEIGHTS.follow);
      break;
    case 'live.product.clicked':
      c.clicks++;
      engage('clicks', 1);
      interest(liveCategory(), INTEREST_WEIGHTS.click, 'click');
      streamer(STREAMER_WEIGHTS.click);
      break;
    case 'live.coupon.claimed':
      c.couponClaims++;
      break;
    case 'live.lottery.joined':
      c.lotteryJoins++;
      break;
    case 'cart.removed':
    case 'live.session.started':
    case 'live.session.ended':
    case 'streamer.profile.upserted':
    case 'cost.ad_spend':
    case 'cost.streamer_fee':
    case 'cost.commission':
    case 'cost.platform_fee':
      return; // not about this user's behaviour (or handled elsewhere, e.g. session categories)
  }
  capMap(d.streamers, CAPS.streamers);
  state.eventsApplied++;
  state.firstSeenMs = state.eventsApplied === 1 ? t : Math.min(state.firstSeenMs, t);
  state.lastSeenMs = Math.max(state.lastSeenMs, t);
}

/** The category with the highest affinity (ties: the order of COURSE_CATEGORIES, then name), or null. */
export function topCategoryOf(categories: Record<string, number>, order: readonly string[]): string | null {
  let best: string | null = null;
  for (const k of Object.keys(categories)) {
    const v = categories[k];
    if (!(v > 0)) continue;
    if (best === null) {
      best = k;
      continue;
    }
    const bv = categories[best];
    if (v > bv * (1 + 1e-12)) best = k;
    else if (Math.abs(v - bv) <= bv * 1e-12) {
      const ia = order.indexOf(k) < 0 ? order.length : order.indexOf(k);
      const ib = order.indexOf(best) < 0 ? order.length : order.indexOf(best);
      if (ia < ib || (ia === ib && k < best)) best = k;
    }
  }
  return best;
}
