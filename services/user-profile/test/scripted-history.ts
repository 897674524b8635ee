import { CanonicalEvent, canonicalEventSchema, EventType, PayloadOf } from '@livepromo/contracts';

/**
 * The scripted event history the unit and integration tests assert against, with the hand
 * computation in comments. Half-life 10 days; asOf = T0 + 20 days.
 *
 * Decay factors at asOf: view (T0) 2^-2 = 0.25; search (T0+1d) 2^-1.9; live events and the first
 * order (T0+10.5d) 2^-0.95; the second order (T0+15d) 2^-0.5.
 */
export const HALF_LIFE_DAYS = 10;
export const T0 = Date.parse('2026-11-01T00:00:00.000Z');
export const DAY = 86_400_000;
export const AS_OF = new Date(T0 + 20 * DAY).toISOString();
const at = (days: number) => new Date(T0 + days * DAY).toISOString();
const cny = (fen: number) => ({ amountMinor: fen, currency: 'CNY' });

export function event<T extends EventType>(
  tenantId: string,
  eventId: string,
  type: T,
  occurredAt: string,
  payload: PayloadOf<T>,
  ids: { userId?: string; streamerId?: string; liveSessionId?: string; courseId?: string } = {},
): CanonicalEvent {
  return canonicalEventSchema.parse({
    eventId,
    tenantId,
    type,
    source: 'generic',
    occurredAt,
    receivedAt: occurredAt,
    schemaVersion: 1,
    payload,
    ...ids,
  });
}

/** Session metadata (keyed like the session's live events, so it precedes them on its partition). */
export function sessionStart(tenantId: string): CanonicalEvent {
  return event(tenantId, 'h-session', 'live.session.started', at(9), { title: 'Python 七天入门', category: 'programming' }, { streamerId: 's-1', liveSessionId: 'ls-1' });
}

/** Twelve events of user u-1. */
export function userHistory(tenantId: string, userId = 'u-1'): CanonicalEvent[] {
  const live = { userId, streamerId: 's-1', liveSessionId: 'ls-1' };
  const tL = at(10.5); // 2026-11-11T12:00Z = 20:00 at UTC+8
  return [
    event(tenantId, 'h-01', 'course.viewed', at(0), { category: 'programming', topics: ['programming/python'], durationSec: 42 }, { userId, courseId: 'c-py' }),
    event(tenantId, 'h-02', 'course.searched', at(1), { query: 'figma', category: 'design' }, { userId }),
    event(tenantId, 'h-03', 'live.room.entered', tL, { referrer: 'feed' }, live),
    event(tenantId, 'h-04', 'live.comment.posted', tL, { text: '多少钱' }, live),
    event(tenantId, 'h-05', 'live.like', tL, { count: 4 }, live),
    event(tenantId, 'h-06', 'live.room.left', tL, { watchSec: 600 }, live),
    event(tenantId, 'h-07', 'order.paid', tL, { orderId: 'o-1', amount: cny(19900), discount: cny(2000), couponId: 'c-1', category: 'programming' }, { ...live, courseId: 'c-py' }),
    event(tenantId, 'h-08', 'order.paid', at(15), { orderId: 'o-2', amount: cny(5000), category: 'writing' }, { userId, courseId: 'c-wr' }), // 08:00 local
    event(tenantId, 'h-09', 'order.refunded', at(16), { orderId: 'o-2', amount: cny(5000) }, { userId }),
    event(tenantId, 'h-10', 'live.shared', tL, { channel: 'wechat' }, live),
    event(tenantId, 'h-11', 'streamer.followed', tL, {}, live),
    event(tenantId, 'h-12', 'live.coupon.claimed', tL, { couponId: 'c-1', value: cny(2000) }, live),
  ];
}

/** A second buyer: one order one day before asOf. */
export function secondUser(tenantId: string): CanonicalEvent[] {
  return [event(tenantId, 'h-20', 'order.paid', at(19), { orderId: 'o-3', amount: cny(60000), category: 'marketing' }, { userId: 'u-2' })];
}

const fL = 2 ** -0.95;
const fS = 2 ** -1.9;
const f8 = 2 ** -0.5;

/** Hand-computed expectations for u-1 at AS_OF with the default weights. */
export const EXPECTED_U1 = {
  categories: {
    programming: 0.25 + (0.2 * 10 + 0.5 + 5) * fL, // view + 10 watched minutes + comment + purchase
    writing: 5 * f8,
    design: 1.5 * fS,
  },
  topics: { 'programming/python': 0.25 },
  favouriteStreamer: (0.2 * 10 + 0.5 + 0.05 * 4 + 1 + 3 + 5) * fL, // watch, comment, 4 likes, share, follow, purchase
  score: {
    views: 0.1 * Math.log(1 + 0.25),
    searches: 0.2 * Math.log(1 + fS),
    comments: 0.3 * Math.log(1 + fL),
    likes: 0.05 * Math.log(1 + 4 * fL),
    shares: 0.5 * Math.log(1 + fL),
    clicks: 0,
    follows: 0.5 * Math.log(1 + fL),
    purchases: 2 * Math.log(1 + fL + f8),
    watchHours: 0.5 * Math.log(1 + (10 * fL) / 60),
  },
};
