import { isExternalEvent } from '@livepromo/contracts';
import type { CanonicalEvent } from '@livepromo/contracts';

/** Interest weight a user gains in a category from one event. */
export const INTEREST_WEIGHTS = { viewed: 1, favourited: 1.5, searched: 0.5, paid: 3, liveEntered: 0.5 } as const;

export interface SessionRef {
  streamerId: string | null;
  category: string | null;
  startedAt: string | null;
}

export interface ProfileDelta {
  tenantId: string;
  streamerId: string;
  name: string;
  categories: string[];
  followers: number;
  priceBand: string | null;
  at: string;
}
export interface SessionStart {
  tenantId: string;
  liveSessionId: string;
  streamerId: string | null;
  category: string | null;
  startedAt: string;
}
export interface SessionEnd {
  tenantId: string;
  liveSessionId: string;
  streamerId: string | null;
  endedAt: string;
  durationSec: number | null;
  peakViewers: number | null;
}
export interface ActivityDelta {
  tenantId: string;
  streamerId: string;
  sessions: number;
  liveSec: number;
  enters: number;
  watchSec: number;
  interactions: number;
  orders: number;
  revenueMinor: number;
}
export interface PairDelta {
  tenantId: string;
  userId: string;
  streamerId: string;
  enters: number;
  watchSec: number;
  interactions: number;
  purchases: number;
  lastAt: string;
}
export interface WeightDelta {
  tenantId: string;
  /** user id, streamer id or course id. */
  id: string;
  /** category or user id. */
  key: string;
  weight: number;
}
export interface CourseDelta {
  tenantId: string;
  courseId: string;
  category: string | null;
  views: number;
  purchases: number;
}

/** Everything one batch of clean events changes, aggregated per row so one multi-row upsert applies it. */
export interface BatchDeltas {
  profiles: ProfileDelta[];
  sessionStarts: SessionStart[];
  sessionEnds: SessionEnd[];
  activity: ActivityDelta[];
  pairs: PairDelta[];
  userCategories: WeightDelta[];
  streamerCategories: WeightDelta[];
  courses: CourseDelta[];
  courseAudience: WeightDelta[];
  /** Tenants whose features changed (their models are stale). */
  tenants: string[];
}

const K = (...parts: string[]) => parts.join('\u0001');
const later = (a: string, b: string) => (a >= b ? a : b);

/**
 * Folds a batch of clean events into per-row deltas. `sessions` resolves a live session to its
 * streamer and category (for room events that carry only liveSessionId, and for interest from sessions).
 * Pure: the caller has already dropped events seen before (idempotency by eventId).
 */
export function foldEvents(events: readonly CanonicalEvent[], sessions: ReadonlyMap<string, SessionRef>): BatchDeltas {
  const profiles = new Map<string, ProfileDelta>();
  const starts: SessionStart[] = [];
  const ends: SessionEnd[] = [];
  const activity = new Map<string, ActivityDelta>();
  const pairs = new Map<string, PairDelta>();
  const userCats = new Map<string, WeightDelta>();
  const streamerCats = new Map<string, WeightDelta>();
  const courses = new Map<string, CourseDelta>();
  const audience = new Map<string, WeightDelta>();
  const tenants = new Set<string>();

  const act = (t: string, s: string) => {
    const k = K(t, s);
    let a = activity.get(k);
    if (!a) activity.set(k, (a = { tenantId: t, streamerId: s, sessions: 0, liveSec: 0, enters: 0, watchSec: 0, interactions: 0, orders: 0, revenueMinor: 0 }));
    return a;
  };
  const pair = (t: string, u: string, s: string, at: string) => {
    const k = K(t, u, s);
    let p = pairs.get(k);
    if (!p) pairs.set(k, (p = { tenantId: t, userId: u, streamerId: s, enters: 0, watchSec: 0, interactions: 0, purchases: 0, lastAt: at }));
    p.lastAt = later(p.lastAt, at);
    return p;
  };
  const weight = (m: Map<string, WeightDelta>, t: string, id: string, key: string | null | undefined, w: number) => {
    if (!key) return;
    const k = K(t, id, key);
    const d = m.get(k) ?? { tenantId: t, id, key, weight: 0 };
    d.weight += w;
    m.set(k, d);
  };
  const course = (t: string, c: string, category: string | null | undefined) => {
    const k = K(t, c);
    const d = courses.get(k) ?? { tenantId: t, courseId: c, category: null, views: 0, purchases: 0 };
    if (category) d.category = category;
    courses.set(k, d);
    return d;
  };

  const known = new Map(sessions);
  for (const e of events) {
    if (!isExternalEvent(e)) continue; // derived types (scores, notices, classifications) are not behaviour
    const t = e.tenantId;
    const ref = e.liveSessionId ? known.get(K(t, e.liveSessionId)) : undefined;
    const streamerId = e.streamerId ?? ref?.streamerId ?? null;
    const u = e.userId;
    let touched = true;
    switch (e.type) {
      case 'streamer.profile.upserted': {
        if (!e.streamerId) break;
        const k = K(t, e.streamerId);
        const prev = profiles.get(k);
        if (!prev || prev.at <= e.occurredAt)
          profiles.set(k, {
            tenantId: t,
            streamerId: e.streamerId,
            name: e.payload.name,
            categories: e.payload.categories,
            followers: e.payload.followers,
            priceBand: e.payload.priceBand ?? null,
            at: e.occurredAt,
          });
        break;
      }
      case 'live.session.started':
        if (!e.liveSessionId) break;
        starts.push({ tenantId: t, liveSessionId: e.liveSessionId, streamerId, category: e.payload.category ?? null, startedAt: e.occurredAt });
        known.set(K(t, e.liveSessionId), { streamerId, category: e.payload.category ?? null, startedAt: e.occurredAt });
        if (streamerId) {
          act(t, streamerId).sessions++;
          weight(streamerCats, t, streamerId, e.payload.category, 1);
        }
        break;
      case 'live.session.ended': {
        if (!e.liveSessionId) break;
        const fromStart = ref?.startedAt ? Math.max(0, (Date.parse(e.occurredAt) - Date.parse(ref.startedAt)) / 1000) : null;
        const durationSec = e.payload.durationSec ?? fromStart;
        ends.push({ tenantId: t, liveSessionId: e.liveSessionId, streamerId, endedAt: e.occurredAt, durationSec, peakViewers: e.payload.peakViewers ?? null });
        if (streamerId && durationSec) act(t, streamerId).liveSec += durationSec;
        break;
      }
      case 'live.room.entered':
        if (streamerId) act(t, streamerId).enters++;
        if (u && streamerId) pair(t, u, streamerId, e.occurredAt).enters++;
        if (u) weight(userCats, t, u, ref?.category, INTEREST_WEIGHTS.liveEntered);
        break;
      case 'live.room.left':
        if (streamerId) act(t, streamerId).watchSec += e.payload.watchSec;
        if (u && streamerId) pair(t, u, streamerId, e.occurredAt).watchSec += e.payload.watchSec;
        break;
      case 'order.paid': {
        if (streamerId) {
          const a = act(t, streamerId);
          a.orders++;
          a.revenueMinor += e.payload.amount.amountMinor;
        }
        if (u && streamerId) pair(t, u, streamerId, e.occurredAt).purchases++;
        const category = e.payload.category ?? null;
        if (u) weight(userCats, t, u, category, INTEREST_WEIGHTS.paid);
        if (e.courseId) {
          course(t, e.courseId, category).purchases++;
          if (u) weight(audience, t, e.courseId, u, INTEREST_WEIGHTS.paid);
        }
        break;
      }
      case 'course.favourited':
        if (e.courseId && u) weight(audience, t, e.courseId, u, INTEREST_WEIGHTS.favourited);
        break;
      case 'course.viewed':
        if (u) weight(userCats, t, u, e.payload.category, INTEREST_WEIGHTS.viewed);
        if (e.courseId) {
          course(t, e.courseId, e.payload.category).views++;
          if (u) weight(audience, t, e.courseId, u, INTEREST_WEIGHTS.viewed);
        }
        break;
      case 'course.searched':
        if (u) weight(userCats, t, u, e.payload.category, INTEREST_WEIGHTS.searched);
        break;
      case 'live.comment.posted':
      case 'live.like':
      case 'live.gift.sent':
      case 'live.shared':
      case 'streamer.followed':
      case 'live.product.clicked':
      case 'live.coupon.claimed':
      case 'live.lottery.joined':
        if (streamerId) act(t, streamerId).interactions++;
        if (u && streamerId) pair(t, u, streamerId, e.occurredAt).interactions++;
        break;
      case 'cart.added':
      case 'cart.removed':
      case 'order.created':
      case 'order.refunded':
      case 'cost.ad_spend':
      case 'cost.streamer_fee':
      case 'cost.commission':
      case 'cost.platform_fee':
        touched = false;
        break;
    }
    if (touched) tenants.add(t);
  }
  return {
    profiles: [...profiles.values()],
    sessionStarts: starts,
    sessionEnds: ends,
    activity: [...activity.values()],
    pairs: [...pairs.values()],
    userCategories: [...userCats.values()],
    streamerCategories: [...streamerCats.values()],
    courses: [...courses.values()],
    courseAudience: [...audience.values()],
    tenants: [...tenants],
  };
}

export const sessionKey = (tenantId: string, liveSessionId: string) => K(tenantId, liveSessionId);
