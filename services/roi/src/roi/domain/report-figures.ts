/** Sums of one report group as read from the ledger (exact integers; bigint for money). */
export interface GroupSums {
  key: string;
  grossPaidMinor: bigint;
  refundedMinor: bigint;
  attributedMinor: bigint;
  influencedMinor: bigint;
  unattributedMinor: bigint;
  adSpendMinor: bigint;
  streamerFeeMinor: bigint;
  commissionMinor: bigint;
  platformFeeMinor: bigint;
  couponMinor: bigint;
  paidOrders: number;
  refunds: number;
  payingUsers: number;
  ledgerRows: number;
  roomEntries: number;
  /** Bot traffic (cleaning's cumulative per-session counts) of the live sessions seen in the group and period. */
  bot?: BotSums;
}

export interface BotSums {
  events: number;
  users: number;
  roomEntries: number;
  sessions: number;
}

export interface TrafficFigures {
  /** Room entries in clean data (bot-flagged entries were already kept out by cleaning). */
  roomEntries: number;
  /** Room entries cleaning flagged as bot traffic, of the sessions in scope. */
  botRoomEntries: number;
  /** roomEntries + botRoomEntries: what the platforms reported. */
  rawRoomEntries: number;
  /** The room entries a decision should use: bot traffic discounted (= roomEntries). */
  botDiscountedRoomEntries: number;
  /** botRoomEntries / rawRoomEntries (null when there were none). */
  botShareOfRoomEntries: number | null;
  /** Every event kind flagged as bot traffic (comments, likes, clicks, entries…) in the sessions in scope. */
  botEvents: number;
  /** Σ over sessions of distinct bot users (a user flagged in two sessions counts twice). */
  botUsers: number;
  /** Sessions in scope with bot counts from cleaning. */
  botSessions: number;
}

export interface ReportFigures {
  key: string;
  revenue: {
    grossPaidMinor: Money;
    refundedMinor: Money;
    netMinor: Money;
    attributedMinor: Money;
    influencedMinor: Money;
    unattributedMinor: Money;
  };
  cost: {
    totalMinor: Money;
    adSpendMinor: Money;
    streamerFeeMinor: Money;
    commissionMinor: Money;
    platformFeeMinor: Money;
    couponMinor: Money;
  };
  roi: number | null;
  adRoi: number | null;
  netProfitMinor: Money;
  breakEvenRoi: number;
  breakEvenAdRoi: number | null;
  costPerPaidOrderMinor: Money | null;
  customerAcquisitionCostMinor: Money | null;
  traffic: TrafficFigures;
  sample: { ledgerRows: number; paidOrders: number; refunds: number; payingUsers: number };
}

/** Formulas of every figure (served with each report). */
export const FIGURE_FORMULAS = {
  revenue:
    'R = Σ order.paid amount − Σ order.refunded amount of rows in the period (cash basis: each row on its own occurredAt); attributed = rows whose event named the live session, influenced = rows attributed by the window, unattributed = neither',
  cost: 'C = ad spend + streamer fee + commission (rate × paid/refunded amount of the rows in scope, rounded per row) + platform fee (amount, or rate × revenue) + coupon cost (order.paid discount)',
  roi: 'ROI = R / C (null when C = 0)',
  adRoi: 'ad ROI = R / ad spend (null when there is no ad spend)',
  netProfit: 'net profit = R − C',
  breakEvenRoi:
    'break-even ROI = 1 (R = C); break-even ad ROI = R / (R − non-ad costs): the ad ROI at which net profit is 0 given the other costs (null when R ≤ non-ad costs)',
  groupLabels:
    'rows without a value for the dimension are labelled with why: "unattributed: no live session within the attribution window" (revenue, refunds and the costs derived from them with no live session on the event and no room entry of the user within the window), "unattributed: session has no streamer", "no session: cost not booked to a live session" / "no streamer: cost not booked to a streamer" (cost rows such as ad spend by channel), "no course: the event names none", "no channel: the event names none"',
  money:
    'every sum is exact integer arithmetic (Postgres numeric sums of bigint minor units, BigInt in the service); amounts are JSON numbers while |x| ≤ 2^53 − 1 and exact decimal strings beyond',
  costPerPaidOrder: 'cost per paid order = C / number of order.paid rows (rounded to a minor unit)',
  customerAcquisitionCost:
    'CAC = C / distinct paying users in the group and period (erased users keep a pseudonym, so they still count once)',
  botDiscountedTraffic:
    'sessions in scope = live sessions with funnel facts (room entries, clicks, …) in the group and period; bot counts are cleaning\'s cumulative per-session totals (session.bot_traffic.counted on events.quality.v1, the largest announced wins), summed over those sessions (a session spanning two groups, e.g. two days, counts in both; the total row counts it once). roomEntries are clean entries (bot entries already removed); rawRoomEntries = roomEntries + botRoomEntries; botShareOfRoomEntries = botRoomEntries / rawRoomEntries; botDiscountedRoomEntries = roomEntries',
} as const;

/**
 * Money in JSON: a number while |x| ≤ 2^53 − 1 (exact in a double), else its exact decimal string, so no total
 * is ever rounded and no report fails on large sums (sums themselves are exact: Postgres numeric, BigInt here).
 */
export type Money = number | string;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export function money(b: bigint): Money {
  return b > MAX_SAFE || b < -MAX_SAFE ? b.toString() : Number(b);
}
const num = money;
const ratio = (a: bigint, b: bigint): number | null => (b === 0n ? null : Number(a) / Number(b));
/** Integer division rounded half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const neg = a < 0n !== b < 0n;
  const aa = a < 0n ? -a : a;
  const bb = b < 0n ? -b : b;
  const q = (2n * aa + bb) / (2n * bb);
  return neg ? -q : q;
}

/** Computes every figure of a group from its sums (pure; exact integer money, float ratios). */
export function reportFigures(s: GroupSums): ReportFigures {
  const net = s.grossPaidMinor - s.refundedMinor;
  const nonAd = s.streamerFeeMinor + s.commissionMinor + s.platformFeeMinor + s.couponMinor;
  const cost = s.adSpendMinor + nonAd;
  const margin = net - nonAd;
  return {
    key: s.key,
    revenue: {
      grossPaidMinor: num(s.grossPaidMinor),
      refundedMinor: num(s.refundedMinor),
      netMinor: num(net),
      attributedMinor: num(s.attributedMinor),
      influencedMinor: num(s.influencedMinor),
      unattributedMinor: num(s.unattributedMinor),
    },
    cost: {
      totalMinor: num(cost),
      adSpendMinor: num(s.adSpendMinor),
      streamerFeeMinor: num(s.streamerFeeMinor),
      commissionMinor: num(s.commissionMinor),
      platformFeeMinor: num(s.platformFeeMinor),
      couponMinor: num(s.couponMinor),
    },
    roi: ratio(net, cost),
    adRoi: ratio(net, s.adSpendMinor),
    netProfitMinor: num(net - cost),
    breakEvenRoi: 1,
    breakEvenAdRoi: margin > 0n ? Number(net) / Number(margin) : null,
    costPerPaidOrderMinor: s.paidOrders > 0 ? num(divRound(cost, BigInt(s.paidOrders))) : null,
    customerAcquisitionCostMinor: s.payingUsers > 0 ? num(divRound(cost, BigInt(s.payingUsers))) : null,
    traffic: trafficFigures(s.roomEntries, s.bot),
    sample: { ledgerRows: s.ledgerRows, paidOrders: s.paidOrders, refunds: s.refunds, payingUsers: s.payingUsers },
  };
}

/** Traffic with bot traffic discounted (pure). */
export function trafficFigures(roomEntries: number, bot: BotSums | undefined): TrafficFigures {
  const b = bot ?? { events: 0, users: 0, roomEntries: 0, sessions: 0 };
  const raw = roomEntries + b.roomEntries;
  return {
    roomEntries,
    botRoomEntries: b.roomEntries,
    rawRoomEntries: raw,
    botDiscountedRoomEntries: roomEntries,
    botShareOfRoomEntries: raw === 0 ? null : b.roomEntries / raw,
    botEvents: b.events,
    botUsers: b.users,
    botSessions: b.sessions,
  };
}

export interface FunnelCounts {
  key: string;
  /** Σ ad impressions (reach; not a cohort of the chain). Null where the dimension cannot carry them (see `notAvailable`). */
  impressions: number | null;
  /** Visits = distinct (user, live session) with a room entry in the period. Null for the channel dimension. */
  roomEntries: number | null;
  /** Visits of `roomEntries` with a product click in the same session (a subset, so ≤ roomEntries). */
  productClicks: number | null;
  /** Orders of the cohort: order ids created in the period, plus paid orders of the period with no order.created. */
  ordersCreated: number;
  /** Of those, orders paid by asOf. */
  paidOrders: number;
  /** Of the paid, not refunded by asOf and refund window closed by asOf. */
  keptOrders: number;
  /** Of the paid, not refunded by asOf and still inside the refund window at asOf. */
  pendingOrders: number;
  /** Of the paid, with a refund by asOf. */
  refundedOrders: number;
  /** Orders counted as created because they were paid without any order.created (included in ordersCreated). */
  paidWithoutCreated: number;
  /** Steps this dimension cannot count, with the reason. */
  notAvailable?: Record<string, string>;
}

export type FunnelUnit = 'impressions' | 'visits' | 'orders';

export interface FunnelStep {
  step: string;
  count: number | null;
  unit: FunnelUnit;
  /** count / previous step's count, within the same unit (null for the first step, a unit change, a missing count or a zero denominator). */
  conversionFromPrevious: number | null;
  /** Why count or conversion is null. */
  note?: string;
}

export const FUNNEL_STEPS = [
  ['impressions', 'impressions', 'impressions'],
  ['roomEntries', 'room entries', 'visits'],
  ['productClicks', 'product clicks', 'visits'],
  ['ordersCreated', 'orders', 'orders'],
  ['paidOrders', 'paid', 'orders'],
  ['keptOrders', 'kept after refund window', 'orders'],
] as const;

/** The funnel steps with step-to-step conversion within a unit (pure). */
export function funnelSteps(c: FunnelCounts): FunnelStep[] {
  return FUNNEL_STEPS.map(([field, step, unit], i) => {
    const count = c[field];
    const out: FunnelStep = { step, count, unit, conversionFromPrevious: null };
    const missing = c.notAvailable?.[field];
    if (count === null) {
      out.note = missing ?? 'not available';
      return out;
    }
    if (i === 0) return out;
    const [prevField, , prevUnit] = FUNNEL_STEPS[i - 1];
    const prev = c[prevField];
    if (prevUnit !== unit) out.note = `unit changes (${prevUnit} → ${unit}): not a conversion of one cohort`;
    else if (prev === null) out.note = 'previous step not available';
    else if (prev > 0) out.conversionFromPrevious = count / prev;
    return out;
  });
}
