import type { CanonicalEvent, EventType } from '@livepromo/contracts';

/** A scripted stream with hand-computed ledger figures (see EXPECTED). T0 = 2026-11-02T12:00Z. */
export const T0 = Date.parse('2026-11-02T12:00:00.000Z');
const H = 3_600_000;
const D = 24 * H;
const cny = (fen: number) => ({ amountMinor: fen, currency: 'CNY' });

export const PERIOD = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
export const AS_OF = '2026-12-02T00:00:00.000Z';

export function event(
  tenantId: string,
  id: string,
  type: EventType,
  atMs: number,
  payload: Record<string, unknown>,
  ids: Partial<Record<'userId' | 'liveSessionId' | 'streamerId' | 'courseId', string>> = {},
): CanonicalEvent {
  const at = new Date(atMs).toISOString();
  return {
    eventId: `${tenantId}-${id}`,
    tenantId,
    type,
    source: 'generic',
    occurredAt: at,
    receivedAt: at,
    schemaVersion: 1,
    payload,
    ...ids,
  } as CanonicalEvent;
}

export function scriptedStream(t: string): CanonicalEvent[] {
  const l1 = { liveSessionId: 'ls-1', streamerId: 's-1' };
  const l2 = { liveSessionId: 'ls-2', streamerId: 's-2' };
  return [
    event(t, 'e01', 'live.session.started', T0 - 2 * H, { title: 'Python' }, l1),
    event(t, 'e02', 'live.session.started', T0 - 2 * H, { title: 'Design' }, l2),
    event(t, 'e03', 'live.room.entered', T0, {}, { userId: 'u-1', ...l1 }),
    event(t, 'e04', 'live.room.entered', T0 + 0.5 * H, {}, { userId: 'u-2', ...l1 }),
    event(t, 'e05', 'live.room.entered', T0 + 1 * H, {}, { userId: 'u-2', ...l2 }),
    event(t, 'e06', 'live.room.entered', T0 - 30 * H, {}, { userId: 'u-3', ...l1 }),
    event(t, 'e07', 'live.room.entered', T0, {}, { userId: 'u-4', ...l2 }),
    event(t, 'e08', 'live.room.entered', T0, {}, { userId: 'u-5', ...l2 }),
    event(t, 'e09', 'live.product.clicked', T0 + 10 * 60_000, { position: 1 }, { userId: 'u-1', ...l1 }),
    event(t, 'e10', 'live.product.clicked', T0 + 70 * 60_000, { position: 1 }, { userId: 'u-2', ...l2 }),
    event(t, 'e11', 'live.product.clicked', T0 + 20 * 60_000, { position: 2 }, { userId: 'u-4', ...l2 }),
    event(
      t,
      'e12',
      'order.created',
      T0 + 15 * 60_000,
      { orderId: 'o-1', price: cny(21900), discount: cny(2000), channel: 'douyin-ads' },
      { userId: 'u-1', ...l1 },
    ),
    event(t, 'e13', 'order.created', T0 + 2.9 * H, { orderId: 'o-2', price: cny(29900), channel: 'kuaishou-ads' }, { userId: 'u-2' }),
    event(
      t,
      'e14',
      'order.paid',
      T0 + 20 * 60_000,
      { orderId: 'o-1', amount: cny(19900), discount: cny(2000), channel: 'douyin-ads', refundWindowDays: 7 },
      { userId: 'u-1', courseId: 'c-py', ...l1 },
    ),
    // no session on the event: the attribution window credits the last room u-2 entered (ls-2, not ls-1)
    event(
      t,
      'e15',
      'order.paid',
      T0 + 3 * H,
      { orderId: 'o-2', amount: cny(29900), channel: 'kuaishou-ads', refundWindowDays: 7 },
      { userId: 'u-2', courseId: 'c-py' },
    ),
    // u-3 entered 30 h before paying: outside the 24 h window → unattributed
    event(
      t,
      'e16',
      'order.paid',
      T0,
      { orderId: 'o-3', amount: cny(15900), channel: 'douyin-ads', refundWindowDays: 7 },
      { userId: 'u-3', courseId: 'c-ds' },
    ),
    event(
      t,
      'e17',
      'order.paid',
      T0 + 2 * H,
      { orderId: 'o-4', amount: cny(9900), refundWindowDays: 3 },
      { userId: 'u-4', courseId: 'c-ds', ...l2 },
    ),
    event(t, 'e18', 'order.refunded', T0 + 2 * D, { orderId: 'o-2', amount: cny(29900), reason: 'changed mind' }, { userId: 'u-2' }),
    event(t, 'e19', 'order.refunded', T0 + 5 * D, { orderId: 'o-4', amount: cny(3300), reason: 'partial' }, { userId: 'u-4' }),
    event(t, 'e20', 'cost.streamer_fee', T0, { amount: cny(100000) }, l1),
    event(t, 'e21', 'cost.streamer_fee', T0, { amount: cny(80000) }, l2),
    event(t, 'e22', 'cost.ad_spend', T0, { channel: 'douyin-ads', amount: cny(50000), impressions: 20000 }),
    event(t, 'e23', 'cost.ad_spend', T0, { channel: 'kuaishou-ads', amount: cny(30000), impressions: 10000 }),
    event(t, 'e24', 'cost.commission', T0, { rate: 0.2 }, l1),
    event(t, 'e25', 'cost.commission', T0, { rate: 0.15, orderId: 'o-2' }),
    event(t, 'e26', 'cost.platform_fee', T0, { rate: 0.05 }),
    event(t, 'e27', 'cost.platform_fee', T0, { amount: cny(1234) }),
  ];
}

/**
 * Hand computation (fen):
 * gross paid 19 900 + 29 900 + 15 900 + 9 900 = 75 600; refunded 29 900 + 3 300 = 33 200; net 42 400.
 * commission: 20 % of ls-1 rows (o-1: 3 980) + 15 % of o-2 (4 485 − 4 485) = 3 980.
 * platform fee: 1 234 + 5 % of every paid/refunded row (995 + 1 495 − 1 495 + 795 + 495 − 165 = 2 120) = 3 354.
 * cost = coupon 2 000 + ad 80 000 + streamer 180 000 + commission 3 980 + platform 3 354 = 269 334.
 */
export const EXPECTED = {
  totals: {
    revenue: {
      grossPaidMinor: 75_600,
      refundedMinor: 33_200,
      netMinor: 42_400,
      attributedMinor: 26_500,
      influencedMinor: 0,
      unattributedMinor: 15_900,
    },
    cost: {
      totalMinor: 269_334,
      adSpendMinor: 80_000,
      streamerFeeMinor: 180_000,
      commissionMinor: 3_980,
      platformFeeMinor: 3_354,
      couponMinor: 2_000,
    },
    netProfitMinor: 42_400 - 269_334,
    sample: { paidOrders: 4, refunds: 2, payingUsers: 4 },
  },
  sessions: {
    'ls-1': { net: 19_900, influenced: 0, cost: 100_000 + 2_000 + 3_980 + 995, roomEntries: 3 },
    'ls-2': { net: 6_600, influenced: 0, cost: 80_000 + 330, roomEntries: 3 },
    // o-3 (u-3 entered 30 h before paying) and the 5 % platform fee derived from it: unattributed, labelled with why
    'unattributed: no live session within the attribution window': { net: 15_900, influenced: 0, cost: 795, roomEntries: 0 },
    // ad spend by channel and the fixed platform fee name no session
    'no session: cost not booked to a live session': { net: 0, influenced: 0, cost: 80_000 + 1_234, roomEntries: 0 },
  },
  /** o-2 was attributed by the window: gross 29 900 influenced, fully refunded. */
  ls2GrossInfluenced: 29_900,
  funnel: {
    impressions: 30_000,
    roomEntries: 6,
    productClicks: 3,
    // the order cohort: o-1 and o-2 were created; o-3 and o-4 were paid without an order.created and count as created
    ordersCreated: 4,
    paidWithoutCreated: 2,
    paidOrders: 4,
    keptOrders: 2,
    refundedOrders: 2,
    pendingOrders: 0,
  },
} as const;
