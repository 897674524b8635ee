import { EventInputOf, EventType, PayloadOf } from '@livepromo/contracts';
import type { MessageBus } from '@livepromo/messaging';
import { mulberry32 } from '@livepromo/ml';

/** Seeded PRNG (mulberry32, from libs/ml) so test data is reproducible. */
export const seededRandom = (seed: number): (() => number) => mulberry32(seed);

const cny = (fen: number) => ({ amountMinor: fen, currency: 'CNY' });

/** A valid payload for every canonical type (the round-trip test covers all of them). */
export const SAMPLE_PAYLOADS: { [T in EventType]: PayloadOf<T> } = {
  'course.viewed': { category: 'programming', topics: ['programming/typescript'], durationSec: 42 },
  'course.searched': { query: 'python 入门', category: 'programming', resultCount: 12 },
  'course.favourited': { topics: ['programming/typescript'] },
  'cart.added': { price: cny(19900), quantity: 1 },
  'cart.removed': { quantity: 1 },
  'order.created': { orderId: 'o-1', price: cny(19900), discount: cny(2000), couponId: 'c-1', channel: 'douyin-ads' },
  'order.paid': { orderId: 'o-1', amount: cny(17900), discount: cny(2000), channel: 'douyin-ads', category: 'programming', refundWindowDays: 7 },
  'order.refunded': { orderId: 'o-1', amount: cny(17900), reason: '不想学了' },
  'live.room.entered': { referrer: 'feed' },
  'live.room.left': { watchSec: 630 },
  'live.comment.posted': { text: '多少钱？怎么买', lang: 'zh' },
  'live.like': { count: 3 },
  'live.gift.sent': { giftId: 'rocket', value: cny(1000) },
  'live.shared': { channel: 'wechat' },
  'streamer.followed': {},
  'live.product.clicked': { position: 1 },
  'live.coupon.claimed': { couponId: 'c-1', value: cny(2000) },
  'live.lottery.joined': { lotteryId: 'l-1' },
  'live.session.started': { title: 'Python 七天入门', category: 'programming', courseIds: ['course-1'] },
  'live.session.ended': { peakViewers: 1200, durationSec: 7200 },
  'streamer.profile.upserted': { name: '老王讲编程', categories: ['programming'], followers: 120000, priceBand: 'mid' },
  'cost.ad_spend': { channel: 'douyin-ads', amount: cny(500000), impressions: 100000 },
  'cost.streamer_fee': { amount: cny(300000) },
  'cost.commission': { rate: 0.2 },
  'cost.platform_fee': { rate: 0.05 },
  'profile.updated': { userIds: ['u-1'], version: 1 },
  'user.erased': { requestedBy: 'operator' },
  'tenant.key.changed': { keyId: 'k-1', keyHash: 'a'.repeat(64), status: 'active' as const },
  'comment.classified': { commentEventId: 'e-1', text: '多少钱', intent: 'price_question', intentScore: 0.93, sentiment: 'neutral', sentimentScore: 0.1, model: 'comment-intent@1' },
  'live.metrics.computed': { windowSec: 60, windowEnd: '2026-11-28T10:01:00.000Z', metrics: { viewers: 120, commentsPerMin: 30 }, worstMetric: 'commentsPerMin' },
  'live.suggestion.made': { suggestionId: 's-1', strategy: 'answer_price_question', trigger: 'price_question_surge', reason: 'price questions tripled', evidence: { priceQuestionsPerMin: 12 }, expectedUplift: 0.05, confidence: 0.7 },
  'recommendations.updated': { scope: 'user', ids: ['u-1'], modelVersion: 'als-1' },
  'roi.updated': { dimension: 'session', keys: ['ls-1'] },
  'session.bot_traffic.counted': { botEventsTotal: 12, botUsersTotal: 2, bySignal: { link_spam: 8, like_flood: 4 }, byType: { 'live.comment.posted': 8, 'live.like': 4 } },
  'import.outcome.counted': { streamId: 'job_1', total: 10, clean: 7, duplicate: 2, deadLettered: { schema_violation: 1 }, discarded: {} },
};

let counter = 0;

/** A valid canonical event of `type` with sensible ids; override anything. */
export function makeEvent<T extends EventType>(type: T, overrides: Partial<EventInputOf<T>> = {}): EventInputOf<T> {
  counter++;
  const now = new Date('2026-11-28T10:00:00.000Z').getTime() + counter * 1000;
  return {
    eventId: `evt-${type}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    tenantId: 'tenant-a',
    type,
    source: 'generic',
    occurredAt: new Date(now).toISOString(),
    receivedAt: new Date(now + 50).toISOString(),
    userId: 'u-1',
    streamerId: 's-1',
    liveSessionId: type.startsWith('live.') ? 'ls-1' : undefined,
    courseId: 'course-1',
    schemaVersion: 1,
    payload: SAMPLE_PAYLOADS[type],
    ...overrides,
  } as EventInputOf<T>;
}

/**
 * Publishes an active API key for a tenant on `tenants.keys.v1`, as ingestion would, so a
 * service under test authenticates it. Returns the key to send as `Authorization: Bearer`.
 */
export async function grantTestKey(
  bus: MessageBus,
  tenantId: string,
  key = `lp_test_${tenantId}_${Math.random().toString(36).slice(2)}`,
): Promise<string> {
  const { createHash } = await import('node:crypto');
  const now = new Date().toISOString();
  await bus.publish(
    'tenants.keys.v1',
    [
      {
        eventId: `key-${tenantId}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        tenantId,
        type: 'tenant.key.changed' as const,
        source: 'livepromo' as const,
        occurredAt: now,
        receivedAt: now,
        schemaVersion: 1,
        payload: { keyId: `k-${Math.random().toString(36).slice(2, 10)}`, keyHash: createHash('sha256').update(key).digest('hex'), status: 'active' as const },
      },
    ],
    { key: tenantId },
  );
  return key;
}
