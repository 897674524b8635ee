/** Dimensions a report can be grouped by; 'all' is the one-row total. */
export const DIMENSIONS = ['session', 'streamer', 'course', 'channel', 'day', 'all'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * Labels of the groups that have no value for the dimension, saying why (never a fake streamer "(none)").
 * Unattributed revenue (attribution = 'none'): no live session on the event and no room entry of the user within the window.
 */
export const GROUP_LABELS = {
  noSessionRevenue: 'unattributed: no live session within the attribution window',
  sessionWithoutStreamer: 'unattributed: session has no streamer',
  costWithoutSession: 'no session: cost not booked to a live session',
  costWithoutStreamer: 'no streamer: cost not booked to a streamer',
  noCourse: 'no course: the event names none',
  noChannel: 'no channel: the event names none',
  factWithoutSession: 'no session: the event names none',
  factWithoutStreamer: 'no streamer: the event names none',
} as const;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Column expression of a dimension over `ledger_entry` (a fixed whitelist: never interpolate user input).
 * Rows without a value are labelled with why: revenue/refund/coupon/derived rows by their attribution, cost rows as costs.
 */
export function dimensionColumn(d: Dimension, alias = ''): string {
  const p = alias ? `${alias}.` : '';
  switch (d) {
    case 'session':
      return `COALESCE(${p}session_id, CASE WHEN ${p}attribution = 'cost' THEN ${lit(GROUP_LABELS.costWithoutSession)} ELSE ${lit(GROUP_LABELS.noSessionRevenue)} END)`;
    case 'streamer':
      return (
        `COALESCE(${p}streamer_id, CASE WHEN ${p}attribution = 'cost' THEN ${lit(GROUP_LABELS.costWithoutStreamer)} ` +
        `WHEN ${p}session_id IS NULL THEN ${lit(GROUP_LABELS.noSessionRevenue)} ELSE ${lit(GROUP_LABELS.sessionWithoutStreamer)} END)`
      );
    case 'course':
      return `COALESCE(${p}course_id, ${lit(GROUP_LABELS.noCourse)})`;
    case 'channel':
      return `COALESCE(${p}channel, ${lit(GROUP_LABELS.noChannel)})`;
    case 'day':
      return `to_char(${p}day, 'YYYY-MM-DD')`;
    case 'all':
      return `'all'`;
  }
}

/** Column expression of a dimension over `funnel_fact` (room entries, clicks, …: no attribution of their own). */
export function factColumn(d: Dimension, alias = ''): string {
  const p = alias ? `${alias}.` : '';
  switch (d) {
    case 'session':
      return `COALESCE(${p}session_id, ${lit(GROUP_LABELS.factWithoutSession)})`;
    case 'streamer':
      return `COALESCE(${p}streamer_id, ${lit(GROUP_LABELS.factWithoutStreamer)})`;
    case 'course':
    case 'channel':
    case 'day':
    case 'all':
      return dimensionColumn(d, alias);
  }
}

/**
 * Column expression over an order-cohort row (`session_id`, `streamer_id`, … of the order's attributed revenue row,
 * else of its order.created event): orders without a session are unattributed like their revenue.
 */
export function orderColumn(d: Dimension, alias = ''): string {
  const p = alias ? `${alias}.` : '';
  switch (d) {
    case 'session':
      return `COALESCE(${p}session_id, ${lit(GROUP_LABELS.noSessionRevenue)})`;
    case 'streamer':
      return `COALESCE(${p}streamer_id, CASE WHEN ${p}session_id IS NULL THEN ${lit(GROUP_LABELS.noSessionRevenue)} ELSE ${lit(GROUP_LABELS.sessionWithoutStreamer)} END)`;
    case 'course':
    case 'channel':
    case 'day':
    case 'all':
      return dimensionColumn(d, alias);
  }
}
