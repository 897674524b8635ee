import type { CanonicalEvent } from '@livepromo/contracts';

/** Money rows of the ledger. Signed amounts in integer minor units: revenue +, refund −, costs +. */
export const LEDGER_KINDS = ['revenue', 'refund', 'coupon', 'streamer_fee', 'ad_spend', 'platform_fee', 'commission'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const COST_KINDS = ['streamer_fee', 'ad_spend', 'platform_fee', 'commission', 'coupon'] as const satisfies readonly LedgerKind[];

/** How a revenue row found its live session: on the event, by the attribution window, not at all; 'cost' for cost rows. */
export type Attribution = 'direct' | 'window' | 'none' | 'cost';

export interface LedgerDraft {
  tenantId: string;
  eventId: string;
  kind: LedgerKind;
  occurredAt: string;
  day: string;
  userId: string | null;
  sessionId: string | null;
  streamerId: string | null;
  courseId: string | null;
  channel: string | null;
  orderId: string | null;
  attribution: Attribution;
  amountMinor: number;
  currency: string;
  windowEndsAt: string | null;
}

/** Funnel and factor inputs: counted facts (qty = 1, or impressions / watch seconds). */
export const FUNNEL_KINDS = [
  'impression',
  'room_entry',
  'product_click',
  'order_created',
  'watch',
  'comment',
  'coupon_claim',
  'lottery_join',
] as const;
export type FunnelKind = (typeof FUNNEL_KINDS)[number];

export interface FunnelDraft {
  tenantId: string;
  eventId: string;
  kind: FunnelKind;
  occurredAt: string;
  day: string;
  userId: string | null;
  sessionId: string | null;
  streamerId: string | null;
  courseId: string | null;
  channel: string | null;
  qty: number;
  /** order.created only: the order id (the funnel's cohort key). */
  orderId: string | null;
}

/** A rate that turns revenue into cost (commission, rate-based platform fee), scoped by order, else session, else streamer, else the tenant. */
export interface RateRuleDraft {
  tenantId: string;
  eventId: string;
  kind: 'commission' | 'platform_fee';
  rate: number;
  orderId: string | null;
  sessionId: string | null;
  streamerId: string | null;
  occurredAt: string;
}

export interface MappedEvent {
  ledger: LedgerDraft[];
  funnel: FunnelDraft[];
  rules: RateRuleDraft[];
}

export interface LedgerSettings {
  /** Local day boundaries (minutes east of UTC), for the `day` dimension. */
  tzOffsetMinutes: number;
  /** Refund window used when order.paid carries none. */
  defaultRefundWindowDays: number;
}

const DAY_MS = 86_400_000;

/** Local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(iso: string, tzOffsetMinutes: number): string {
  return new Date(Date.parse(iso) + tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * Maps one clean event onto ledger rows, funnel facts and rate rules (pure). Revenue rows start
 * 'direct' when the event names its live session, otherwise 'none' until the attribution window
 * (applied in the database, where the room entries are) finds one.
 */
export function mapEvent(e: CanonicalEvent, s: LedgerSettings): MappedEvent {
  const out: MappedEvent = { ledger: [], funnel: [], rules: [] };
  const day = localDay(e.occurredAt, s.tzOffsetMinutes);
  const dims = {
    tenantId: e.tenantId,
    eventId: e.eventId,
    occurredAt: e.occurredAt,
    day,
    userId: e.userId ?? null,
    sessionId: e.liveSessionId ?? null,
    streamerId: e.streamerId ?? null,
    courseId: e.courseId ?? null,
  };
  const money = (kind: LedgerKind, amountMinor: number, currency: string, extra: Partial<LedgerDraft> = {}): LedgerDraft => ({
    ...dims,
    kind,
    channel: null,
    orderId: null,
    attribution: 'cost',
    amountMinor,
    currency,
    windowEndsAt: null,
    ...extra,
  });
  const fact = (kind: FunnelKind, qty = 1, channel: string | null = null, orderId: string | null = null): FunnelDraft => ({
    ...dims,
    kind,
    qty,
    channel,
    orderId,
  });
  switch (e.type) {
    case 'order.paid': {
      const p = e.payload;
      const windowDays = p.refundWindowDays ?? s.defaultRefundWindowDays;
      const windowEndsAt = new Date(Date.parse(e.occurredAt) + windowDays * DAY_MS).toISOString();
      const base = {
        channel: p.channel ?? null,
        orderId: p.orderId,
        attribution: (e.liveSessionId ? 'direct' : 'none') as Attribution,
        windowEndsAt,
      };
      out.ledger.push(money('revenue', p.amount.amountMinor, p.amount.currency, base));
      if (p.discount && p.discount.amountMinor !== 0) out.ledger.push(money('coupon', p.discount.amountMinor, p.discount.currency, base));
      break;
    }
    case 'order.refunded':
      out.ledger.push(
        money('refund', -e.payload.amount.amountMinor, e.payload.amount.currency, {
          orderId: e.payload.orderId,
          attribution: e.liveSessionId ? 'direct' : 'none',
        }),
      );
      break;
    case 'cost.streamer_fee':
      out.ledger.push(money('streamer_fee', e.payload.amount.amountMinor, e.payload.amount.currency));
      break;
    case 'cost.ad_spend':
      out.ledger.push(money('ad_spend', e.payload.amount.amountMinor, e.payload.amount.currency, { channel: e.payload.channel }));
      if (e.payload.impressions) out.funnel.push(fact('impression', e.payload.impressions, e.payload.channel));
      break;
    case 'cost.platform_fee':
      if (e.payload.amount) out.ledger.push(money('platform_fee', e.payload.amount.amountMinor, e.payload.amount.currency));
      if (e.payload.rate !== undefined && e.payload.rate > 0) out.rules.push(rule(e, 'platform_fee', e.payload.rate, null));
      break;
    case 'cost.commission':
      if (e.payload.rate > 0) out.rules.push(rule(e, 'commission', e.payload.rate, e.payload.orderId ?? null));
      break;
    case 'live.room.entered':
      out.funnel.push(fact('room_entry'));
      break;
    case 'live.room.left':
      out.funnel.push(fact('watch', Math.round(e.payload.watchSec)));
      break;
    case 'live.product.clicked':
      out.funnel.push(fact('product_click'));
      break;
    case 'order.created':
      out.funnel.push(fact('order_created', 1, e.payload.channel ?? null, e.payload.orderId));
      break;
    case 'live.comment.posted':
      out.funnel.push(fact('comment'));
      break;
    case 'live.coupon.claimed':
      out.funnel.push(fact('coupon_claim', e.payload.value.amountMinor));
      break;
    case 'live.lottery.joined':
      out.funnel.push(fact('lottery_join'));
      break;
    case 'course.viewed':
    case 'course.searched':
    case 'cart.added':
    case 'cart.removed':
    case 'live.like':
    case 'live.gift.sent':
    case 'live.shared':
    case 'streamer.followed':
    case 'live.session.started':
    case 'live.session.ended':
    case 'streamer.profile.upserted':
    case 'profile.updated':
    case 'user.erased':
    case 'tenant.key.changed':
    case 'comment.classified':
    case 'live.metrics.computed':
    case 'live.suggestion.made':
    case 'recommendations.updated':
    case 'roi.updated':
    case 'session.bot_traffic.counted':
    case 'course.favourited':
    case 'import.outcome.counted':
      break; // no money and no funnel step
  }
  return out;
}

function rule(e: CanonicalEvent, kind: RateRuleDraft['kind'], rate: number, orderId: string | null): RateRuleDraft {
  return {
    tenantId: e.tenantId,
    eventId: e.eventId,
    kind,
    rate,
    orderId,
    sessionId: orderId ? null : (e.liveSessionId ?? null),
    streamerId: orderId || e.liveSessionId ? null : (e.streamerId ?? null),
    occurredAt: e.occurredAt,
  };
}


/** Plausibility cap per event amount (minor units): a default and per-tenant overrides. */
export interface AmountCap {
  defaultMinor: number;
  byTenant: ReadonlyMap<string, number>;
}

export const IMPLAUSIBLE_AMOUNT = 'implausible_amount';

export interface Implausible {
  reason: typeof IMPLAUSIBLE_AMOUNT;
  message: string;
  details: { field: string; amountMinor: number; capMinor: number };
}

/** The money fields of an event ([field path, amount in minor units]). */
function moneyFields(e: CanonicalEvent): [string, number][] {
  switch (e.type) {
    case 'order.paid':
      return [['payload.amount.amountMinor', e.payload.amount.amountMinor], ...(e.payload.discount ? [['payload.discount.amountMinor', e.payload.discount.amountMinor] as [string, number]] : [])];
    case 'order.refunded':
    case 'cost.streamer_fee':
    case 'cost.ad_spend':
      return [['payload.amount.amountMinor', e.payload.amount.amountMinor]];
    case 'cost.platform_fee':
      return e.payload.amount ? [['payload.amount.amountMinor', e.payload.amount.amountMinor]] : [];
    case 'live.coupon.claimed':
      return [['payload.value.amountMinor', e.payload.value.amountMinor]];
    default:
      return [];
  }
}

/**
 * An amount is implausible when it is negative, not a safe integer, or above the tenant's cap (pure).
 * Such events are dead-lettered with reason `implausible_amount` instead of entering the ledger.
 */
export function implausibleAmount(e: CanonicalEvent, cap: AmountCap): Implausible | null {
  const capMinor = cap.byTenant.get(e.tenantId) ?? cap.defaultMinor;
  for (const [field, amountMinor] of moneyFields(e)) {
    let why: string | null = null;
    if (!Number.isSafeInteger(amountMinor)) why = 'is not an exact integer (beyond 2^53)';
    else if (amountMinor < 0) why = 'is negative';
    else if (amountMinor > capMinor) why = `exceeds the tenant's plausibility cap of ${capMinor} minor units per event`;
    if (why) {
      return {
        reason: IMPLAUSIBLE_AMOUNT,
        message: `${e.type} ${e.eventId}: ${field} = ${amountMinor} ${why} (ROI_MAX_EVENT_AMOUNT_MINOR / ROI_MAX_EVENT_AMOUNT_MINOR_BY_TENANT)`,
        details: { field, amountMinor, capMinor },
      };
    }
  }
  return null;
}
