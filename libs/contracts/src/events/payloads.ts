import { z } from 'zod';
import { moneySchema } from '../envelope';

/** Course categories the product sells; sub-topics are free-form `category/topic` strings. */
export const COURSE_CATEGORIES = ['programming', 'writing', 'design', 'marketing', 'management'] as const;
export const courseCategorySchema = z.enum(COURSE_CATEGORIES);
export type CourseCategory = z.infer<typeof courseCategorySchema>;

export const AD_CHANNELS = ['douyin-ads', 'kuaishou-ads', 'taobao-ads', 'wechat-ads', 'search', 'kol', 'other'] as const;
export const adChannelSchema = z.string().min(1).max(64);

const text = (max: number) => z.string().max(max);

/**
 * Payload schemas for every canonical event type, keyed by type name.
 * Adding a type: add it here (and to the docs), never rename or repurpose a field.
 */
export const payloadSchemas = {
  // --- commerce -------------------------------------------------------------------------
  'course.viewed': z.object({
    category: courseCategorySchema.optional(),
    topics: z.array(text(64)).max(20).optional(),
    durationSec: z.number().min(0).optional(),
    referrer: text(256).optional(),
  }),
  'course.searched': z.object({
    query: text(256),
    category: courseCategorySchema.optional(),
    resultCount: z.number().int().min(0).optional(),
  }),
  'course.favourited': z.object({
    topics: z.array(text(64)).max(20).optional(),
  }),
  'cart.added': z.object({ price: moneySchema, quantity: z.number().int().min(1).default(1) }),
  'cart.removed': z.object({ quantity: z.number().int().min(1).default(1) }),
  'order.created': z.object({
    orderId: z.string().min(1).max(128),
    price: moneySchema.describe('list price'),
    discount: moneySchema.optional().describe('coupon or limited-time discount'),
    couponId: z.string().max(128).optional(),
    channel: adChannelSchema.optional(),
  }),
  'order.paid': z.object({
    orderId: z.string().min(1).max(128),
    amount: moneySchema.describe('amount actually paid'),
    discount: moneySchema.optional(),
    couponId: z.string().max(128).optional(),
    channel: adChannelSchema.optional(),
    category: courseCategorySchema.optional(),
    refundWindowDays: z.number().int().min(0).max(365).optional(),
  }),
  'order.refunded': z.object({
    orderId: z.string().min(1).max(128),
    amount: moneySchema,
    reason: text(256).optional(),
  }),
  // --- live room ------------------------------------------------------------------------
  'live.room.entered': z.object({ referrer: text(64).optional() }),
  'live.room.left': z.object({ watchSec: z.number().min(0) }),
  'live.comment.posted': z.object({ text: text(2000), lang: z.string().max(8).optional() }),
  'live.like': z.object({ count: z.number().int().min(1).max(100000).default(1) }),
  'live.gift.sent': z.object({ giftId: z.string().max(64).optional(), value: moneySchema }),
  'live.shared': z.object({ channel: text(64).optional() }),
  'streamer.followed': z.object({}),
  'live.product.clicked': z.object({ position: z.number().int().min(0).optional() }),
  'live.coupon.claimed': z.object({ couponId: z.string().max(128), value: moneySchema }),
  'live.lottery.joined': z.object({ lotteryId: z.string().max(128) }),
  'live.session.started': z.object({
    title: text(256).optional(),
    category: courseCategorySchema.optional(),
    courseIds: z.array(z.string().max(128)).max(100).optional(),
    scheduledEndAt: z.iso.datetime({ offset: true }).optional(),
  }),
  'live.session.ended': z.object({
    peakViewers: z.number().int().min(0).optional(),
    durationSec: z.number().min(0).optional(),
  }),
  'streamer.profile.upserted': z.object({
    name: text(128),
    categories: z.array(courseCategorySchema).max(5),
    followers: z.number().int().min(0),
    priceBand: z.enum(['low', 'mid', 'high']).optional(),
    platforms: z.array(z.string().max(32)).max(8).optional(),
  }),
  // --- costs ----------------------------------------------------------------------------
  'cost.ad_spend': z.object({ channel: adChannelSchema, amount: moneySchema, impressions: z.number().int().min(0).optional() }),
  'cost.streamer_fee': z.object({ amount: moneySchema }),
  'cost.commission': z.object({ rate: z.number().min(0).max(1).describe('share of attributed revenue'), orderId: z.string().max(128).optional() }),
  'cost.platform_fee': z.object({ amount: moneySchema.optional(), rate: z.number().min(0).max(1).optional() }),
  // --- derived (published by livepromo services) ---------------------------------------
  'profile.updated': z.object({
    userIds: z.array(z.string()).max(10000),
    version: z.number().int().min(0),
  }),
  'user.erased': z.object({ requestedBy: z.string().max(128).optional() }),
  'tenant.key.changed': z.object({
    keyId: z.string().min(1).max(64),
    keyHash: z.string().regex(/^[0-9a-f]{64}$/).describe('sha256 hex of the API key; the key itself never travels'),
    status: z.enum(['active', 'revoked']),
    label: z.string().max(128).optional(),
    pseudonymKey: z
      .string()
      .min(16)
      .max(128)
      .optional()
      .describe("the tenant's user-id pseudonymisation key, present when the tenant pseudonymises: every service applies it to raw user ids given to its routes (internal topic; never exposed over HTTP)"),
  }),
  'comment.classified': z.object({
    commentEventId: z.string(),
    text: text(2000),
    intent: z.string().max(64),
    intentScore: z.number().min(0).max(1),
    sentiment: z.enum(['positive', 'neutral', 'negative']),
    sentimentScore: z.number().min(-1).max(1),
    model: z.string().max(128),
  }),
  'live.metrics.computed': z.object({
    windowSec: z.number().int().min(1),
    windowEnd: z.iso.datetime({ offset: true }),
    metrics: z.record(z.string(), z.number()),
    worstMetric: z.string().optional(),
  }),
  'live.suggestion.made': z.object({
    suggestionId: z.string(),
    strategy: z.string().max(64),
    trigger: z.string().max(64),
    reason: text(1000),
    evidence: z.record(z.string(), z.number()),
    expectedUplift: z.number(),
    confidence: z.number().min(0).max(1),
  }),
  'recommendations.updated': z.object({
    scope: z.enum(['user', 'course', 'segment', 'streamer', 'all']),
    ids: z.array(z.string()).max(10000),
    modelVersion: z.string().max(64),
  }),
  'session.bot_traffic.counted': z.object({
    botEventsTotal: z.number().int().min(0).describe('cumulative events of this live session kept out of clean data as bot traffic'),
    botUsersTotal: z.number().int().min(0).optional().describe('distinct users flagged as bots in this session so far'),
    bySignal: z.record(z.string(), z.number().int().min(0)).describe('cumulative counts per bot signal (link_spam, rate, ...)'),
    byType: z
      .record(z.string(), z.number().int().min(0))
      .optional()
      .describe('cumulative counts per event type (live.room.entered, live.comment.posted, ...), so consumers can discount room entries'),
  }),
  'import.outcome.counted': z.object({
    streamId: z.string().min(1).max(128).describe('the import job (ingest.streamId) whose events these are'),
    total: z.number().int().min(0).describe('cumulative messages of this stream cleaning has handled = clean + duplicate + deadLettered + discarded'),
    clean: z.number().int().min(0),
    duplicate: z.number().int().min(0).describe('duplicate_event_id + duplicate_fingerprint'),
    deadLettered: z.record(z.string(), z.number().int().min(0)).describe('cumulative dead letters by reason'),
    discarded: z.record(z.string(), z.number().int().min(0)).describe('cumulative other counted discards by reason (test_account, bot_traffic, erased_user)'),
  }),
  'roi.updated': z.object({
    dimension: z.string().max(32),
    keys: z.array(z.string()).max(10000),
  }),
} as const;

export type PayloadSchemas = typeof payloadSchemas;
export type EventType = keyof PayloadSchemas;
export const EVENT_TYPES = Object.keys(payloadSchemas) as EventType[];
export type PayloadOf<T extends EventType> = z.infer<PayloadSchemas[T]>;

/** Which types come from outside (accepted by ingestion) versus derived inside livepromo. */
export const DERIVED_EVENT_TYPES = [
  'profile.updated',
  'user.erased',
  'tenant.key.changed',
  'comment.classified',
  'live.metrics.computed',
  'live.suggestion.made',
  'recommendations.updated',
  'roi.updated',
  'session.bot_traffic.counted',
  'import.outcome.counted',
] as const satisfies readonly EventType[];
export type DerivedEventType = (typeof DERIVED_EVENT_TYPES)[number];
/** A type that comes from outside: what ingestion accepts and what events.clean.v1 carries. */
export type ExternalEventType = Exclude<EventType, DerivedEventType>;
export const EXTERNAL_EVENT_TYPES: EventType[] = EVENT_TYPES.filter((t) => !(DERIVED_EVENT_TYPES as readonly string[]).includes(t));
const DERIVED = new Set<string>(DERIVED_EVENT_TYPES);
/** True for a type that comes from outside (not one livepromo derives itself). */
export function isExternalEventType(t: EventType): t is ExternalEventType {
  return !DERIVED.has(t);
}

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(payloadSchemas, value);
}
