import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Dimension, dimensionColumn, factColumn, orderColumn } from '../domain/dimensions';
import type { BotSums, FunnelCounts, GroupSums } from '../domain/report-figures';
import type { VisitSample } from '../domain/purchase-factors';
import { rowsOf } from './ledger.repository';

export interface Period {
  from: string;
  to: string;
}

interface SumsRow {
  key: string;
  gross: string;
  refunded: string;
  attributed: string;
  influenced: string;
  unattributed: string;
  ad: string;
  streamer_fee: string;
  commission: string;
  platform_fee: string;
  coupon: string;
  paid_orders: number;
  refunds: number;
  paying_users: number;
  ledger_rows: number;
}

/** Read side: every query is scoped by tenant and period and grouped by a whitelisted dimension. */
@Injectable()
export class AnalyticsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * Sums per group and for the whole period in one scan (GROUPING SETS), the groups ranked by net revenue
   * and cut at `limit` inside the database.
   */
  async reportSums(tenantId: string, dim: Dimension, p: Period, limit: number): Promise<{ groups: GroupSums[]; total: GroupSums | null }> {
    const key = dimensionColumn(dim);
    const sets = dim === 'all' ? '()' : `GROUPING SETS ((${key}), ())`;
    const isTotal = dim === 'all' ? '1' : `GROUPING(${key})`;
    const rows = rowsOf<SumsRow & { is_total: number }>(
      await this.ds.query(
        `WITH g AS (
           SELECT ${isTotal} AS is_total, ${dim === 'all' ? `'all'` : key} AS key,
             COALESCE(sum(amount_minor) FILTER (WHERE kind = 'revenue'), 0)::text AS gross,
             COALESCE(-sum(amount_minor) FILTER (WHERE kind = 'refund'), 0)::text AS refunded,
             COALESCE(sum(amount_minor) FILTER (WHERE kind IN ('revenue', 'refund') AND attribution = 'direct'), 0)::text AS attributed,
             COALESCE(sum(amount_minor) FILTER (WHERE kind IN ('revenue', 'refund') AND attribution = 'window'), 0)::text AS influenced,
             COALESCE(sum(amount_minor) FILTER (WHERE kind IN ('revenue', 'refund') AND attribution = 'none'), 0)::text AS unattributed,
             COALESCE(sum(amount_minor) FILTER (WHERE kind = 'ad_spend'), 0)::text AS ad,
             COALESCE(sum(amount_minor) FILTER (WHERE kind = 'streamer_fee'), 0)::text AS streamer_fee,
             COALESCE(sum(amount_minor) FILTER (WHERE kind = 'commission'), 0)::text AS commission,
             COALESCE(sum(amount_minor) FILTER (WHERE kind = 'platform_fee'), 0)::text AS platform_fee,
             COALESCE(sum(amount_minor) FILTER (WHERE kind = 'coupon'), 0)::text AS coupon,
             (count(*) FILTER (WHERE kind = 'revenue'))::int AS paid_orders,
             (count(*) FILTER (WHERE kind = 'refund'))::int AS refunds,
             (count(DISTINCT user_id) FILTER (WHERE kind = 'revenue'))::int AS paying_users,
             count(*)::int AS ledger_rows,
             COALESCE(sum(amount_minor) FILTER (WHERE kind IN ('revenue', 'refund')), 0) AS net
           FROM ledger_entry WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3
           GROUP BY ${sets})
         SELECT * FROM (SELECT g.*, row_number() OVER (PARTITION BY is_total ORDER BY net DESC, key) AS rn FROM g) x
         WHERE is_total = 1 OR rn <= $4
         ORDER BY is_total, rn`,
        [tenantId, p.from, p.to, limit],
      ),
    );
    const groupRows = dim === 'all' ? rows : rows.filter((r) => Number(r.is_total) === 0);
    const totalRow = rows.find((r) => Number(r.is_total) === 1) ?? null;
    const entries = await this.countFacts(tenantId, dim, p, dim === 'all' ? null : groupRows.map((r) => r.key));
    const totalEntries = dim === 'all' ? entries.get('all') : (await this.countFacts(tenantId, 'all', p, null)).get('all');
    const bots = await this.botSums(tenantId, dim, p, dim === 'all' ? null : groupRows.map((r) => r.key));
    const totalBots = dim === 'all' ? bots.get('all') : (await this.botSums(tenantId, 'all', p, null)).get('all');
    const toSums = (r: SumsRow, roomEntries: number, bot: BotSums | undefined): GroupSums => ({
      key: r.key,
      grossPaidMinor: BigInt(r.gross),
      refundedMinor: BigInt(r.refunded),
      attributedMinor: BigInt(r.attributed),
      influencedMinor: BigInt(r.influenced),
      unattributedMinor: BigInt(r.unattributed),
      adSpendMinor: BigInt(r.ad),
      streamerFeeMinor: BigInt(r.streamer_fee),
      commissionMinor: BigInt(r.commission),
      platformFeeMinor: BigInt(r.platform_fee),
      couponMinor: BigInt(r.coupon),
      paidOrders: r.paid_orders,
      refunds: r.refunds,
      payingUsers: r.paying_users,
      ledgerRows: r.ledger_rows,
      roomEntries,
      bot,
    });
    return {
      groups: groupRows.map((r) => toSums(r, entries.get(r.key)?.room_entries ?? 0, bots.get(r.key))),
      total: totalRow ? { ...toSums(totalRow, totalEntries?.room_entries ?? 0, totalBots), key: 'all' } : null,
    };
  }

  /**
   * Bot traffic per group: cleaning's cumulative counts of the live sessions that have funnel facts in the
   * group and period (each session once per group).
   */
  private async botSums(tenantId: string, dim: Dimension, p: Period, keys: string[] | null): Promise<Map<string, BotSums>> {
    const key = factColumn(dim);
    const rows = rowsOf<{ key: string; events: string; users: string; room_entries: string; sessions: number }>(
      await this.ds.query(
        `SELECT s.key, sum(b.bot_events)::text AS events, sum(b.bot_users)::text AS users,
           sum(b.bot_room_entries)::text AS room_entries, count(*)::int AS sessions
         FROM (SELECT DISTINCT ${key} AS key, session_id FROM funnel_fact
               WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND session_id IS NOT NULL
               ${keys ? `AND ${key} = ANY($4::text[])` : ''}) s
         JOIN bot_traffic b ON b.tenant_id = $1 AND b.session_id = s.session_id
         GROUP BY s.key`,
        keys ? [tenantId, p.from, p.to, keys] : [tenantId, p.from, p.to],
      ),
    );
    return new Map(rows.map((r) => [r.key, { events: Number(r.events), users: Number(r.users), roomEntries: Number(r.room_entries), sessions: r.sessions }]));
  }

  private async countFacts(tenantId: string, dim: Dimension, p: Period, keys: string[] | null) {
    const key = factColumn(dim);
    const rows = rowsOf<{ key: string; impressions: string; room_entries: number; clicks: number; orders: number }>(
      await this.ds.query(
        `SELECT ${key} AS key,
           COALESCE(sum(qty) FILTER (WHERE kind = 'impression'), 0)::text AS impressions,
           (count(*) FILTER (WHERE kind = 'room_entry'))::int AS room_entries,
           (count(*) FILTER (WHERE kind = 'product_click'))::int AS clicks,
           (count(*) FILTER (WHERE kind = 'order_created'))::int AS orders
         FROM funnel_fact WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3
           AND kind IN ('impression', 'room_entry', 'product_click', 'order_created')
           ${keys ? `AND ${key} = ANY($4::text[])` : ''}
         GROUP BY 1`,
        keys ? [tenantId, p.from, p.to, keys] : [tenantId, p.from, p.to],
      ),
    );
    return new Map(rows.map((r) => [r.key, r]));
  }

  /**
   * Funnel per key, one cohort per chain:
   * - visits: distinct (user, live session) with a room entry in the period; clicks = those visits with a product click
   *   in the same session (a subset). Room entries and clicks carry no channel: null for that dimension, with the reason.
   * - orders: the cohort of order ids first created in the period, plus orders first paid in the period that have no
   *   order.created at all (counted as created, and counted apart). An order's group is that of its attributed revenue
   *   row (session, streamer, course, channel) once paid, else of its order.created; its day is the day it entered the
   *   cohort. paid = paid by asOf; refunded = refund by asOf; kept = paid, not refunded by asOf, refund window closed by asOf.
   * - impressions: Σ ad impressions (by channel and day only).
   */
  async funnel(tenantId: string, dim: Dimension, p: Period, asOf: string, limit: number): Promise<FunnelCounts[]> {
    const orders = rowsOf<{ key: string; orders: number; paid_without_created: number; paid: number; kept: number; pending: number; refunded: number }>(
      await this.ds.query(
        `WITH c AS (
           SELECT DISTINCT ON (oid) oid, occurred_at, day, session_id, streamer_id, course_id, channel
           FROM (SELECT COALESCE(f.order_id, 'event:' || f.event_id) AS oid, f.event_id, f.occurred_at, f.day, f.session_id, f.streamer_id, f.course_id, f.channel
                 FROM funnel_fact f
                 WHERE f.tenant_id = $1 AND f.kind = 'order_created' AND f.occurred_at >= $2 AND f.occurred_at < $3 AND f.occurred_at <= $4
                   AND (f.order_id IS NULL OR NOT EXISTS (
                     SELECT 1 FROM funnel_fact e WHERE e.tenant_id = $1 AND e.kind = 'order_created' AND e.order_id = f.order_id AND e.occurred_at < $2))) x
           ORDER BY oid, occurred_at, event_id),
         pr AS (
           SELECT order_id, occurred_at, event_id, day, session_id, streamer_id, course_id, channel, window_ends_at
           FROM ledger_entry
           WHERE tenant_id = $1 AND kind = 'revenue' AND order_id IS NOT NULL AND occurred_at >= $2 AND occurred_at < $3 AND occurred_at <= $4
           UNION ALL
           SELECT l.order_id, l.occurred_at, l.event_id, l.day, l.session_id, l.streamer_id, l.course_id, l.channel, l.window_ends_at
           FROM c JOIN ledger_entry l ON l.tenant_id = $1 AND l.order_id = c.oid AND l.kind = 'revenue' AND l.occurred_at >= $3 AND l.occurred_at <= $4),
         pd AS (SELECT DISTINCT ON (order_id) * FROM pr ORDER BY order_id, occurred_at, event_id),
         k AS (
           SELECT c.oid AS order_id, c.day, false AS paid_without_created, pd.order_id IS NOT NULL AS paid, pd.window_ends_at,
             CASE WHEN pd.order_id IS NOT NULL THEN pd.session_id ELSE c.session_id END AS session_id,
             CASE WHEN pd.order_id IS NOT NULL THEN pd.streamer_id ELSE c.streamer_id END AS streamer_id,
             CASE WHEN pd.order_id IS NOT NULL THEN pd.course_id ELSE c.course_id END AS course_id,
             CASE WHEN pd.order_id IS NOT NULL THEN pd.channel ELSE c.channel END AS channel
           FROM c LEFT JOIN pd ON pd.order_id = c.oid
           UNION ALL
           SELECT pd.order_id, pd.day, true, true, pd.window_ends_at, pd.session_id, pd.streamer_id, pd.course_id, pd.channel
           FROM pd
           WHERE pd.occurred_at < $3
             AND NOT EXISTS (SELECT 1 FROM funnel_fact f WHERE f.tenant_id = $1 AND f.kind = 'order_created' AND f.order_id = pd.order_id)),
         kr AS (
           SELECT k.*, k.paid AND EXISTS (
             SELECT 1 FROM ledger_entry x WHERE x.tenant_id = $1 AND x.order_id = k.order_id AND x.kind = 'refund' AND x.occurred_at <= $4) AS refunded
           FROM k)
         SELECT ${orderColumn(dim, 'kr')} AS key, count(*)::int AS orders,
           (count(*) FILTER (WHERE kr.paid_without_created))::int AS paid_without_created,
           (count(*) FILTER (WHERE kr.paid))::int AS paid,
           (count(*) FILTER (WHERE kr.paid AND NOT kr.refunded AND kr.window_ends_at <= $4))::int AS kept,
           (count(*) FILTER (WHERE kr.paid AND NOT kr.refunded AND kr.window_ends_at > $4))::int AS pending,
           (count(*) FILTER (WHERE kr.refunded))::int AS refunded
         FROM kr
         GROUP BY 1`,
        [tenantId, p.from, p.to, asOf],
      ),
    );
    const visitsAvailable = dim !== 'channel';
    const impressionsAvailable = dim === 'all' || dim === 'channel' || dim === 'day';
    const visits = visitsAvailable
      ? rowsOf<{ key: string; entries: number; clicks: number }>(
          await this.ds.query(
            `WITH v AS (
               SELECT ${factColumn(dim)} AS key, COALESCE(user_id, 'event:' || event_id) AS visitor, session_id,
                 bool_or(kind = 'room_entry') AS entered, bool_or(kind = 'product_click') AS clicked
               FROM funnel_fact
               WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND kind IN ('room_entry', 'product_click')
               GROUP BY 1, 2, 3)
             SELECT key, (count(*) FILTER (WHERE entered))::int AS entries, (count(*) FILTER (WHERE entered AND clicked))::int AS clicks
             FROM v GROUP BY key`,
            [tenantId, p.from, p.to],
          ),
        )
      : [];
    const impressions = impressionsAvailable
      ? rowsOf<{ key: string; impressions: string }>(
          await this.ds.query(
            `SELECT ${factColumn(dim)} AS key, COALESCE(sum(qty), 0)::text AS impressions
             FROM funnel_fact WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND kind = 'impression'
             GROUP BY 1`,
            [tenantId, p.from, p.to],
          ),
        )
      : [];
    const notAvailable: Record<string, string> = {};
    if (!impressionsAvailable) notAvailable.impressions = `ad impressions are booked by channel and day, not by ${dim}`;
    if (!visitsAvailable) {
      notAvailable.roomEntries = 'room entries carry no channel, so the funnel by channel has no visit steps';
      notAvailable.productClicks = 'product clicks carry no channel, so the funnel by channel has no visit steps';
    }
    const byOrders = new Map(orders.map((r) => [r.key, r]));
    const byVisits = new Map(visits.map((r) => [r.key, r]));
    const byImpr = new Map(impressions.map((r) => [r.key, r]));
    const keys = new Set([...byOrders.keys(), ...byVisits.keys(), ...byImpr.keys()]);
    if (dim === 'all') keys.add('all');
    const out: FunnelCounts[] = [...keys].map((k) => {
      const o = byOrders.get(k);
      const v = byVisits.get(k);
      const row: FunnelCounts = {
        key: k,
        impressions: impressionsAvailable ? Number(byImpr.get(k)?.impressions ?? 0) : null,
        roomEntries: visitsAvailable ? (v?.entries ?? 0) : null,
        productClicks: visitsAvailable ? (v?.clicks ?? 0) : null,
        ordersCreated: o?.orders ?? 0,
        paidOrders: o?.paid ?? 0,
        keptOrders: o?.kept ?? 0,
        pendingOrders: o?.pending ?? 0,
        refundedOrders: o?.refunded ?? 0,
        paidWithoutCreated: o?.paid_without_created ?? 0,
      };
      if (Object.keys(notAvailable).length) row.notAvailable = notAvailable;
      return row;
    });
    out.sort(
      (a, b) => (b.roomEntries ?? 0) - (a.roomEntries ?? 0) || b.ordersCreated - a.ordersCreated || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
    return out.slice(0, limit);
  }

  /** (user, session) visits with their interactions and whether a paid order was attributed to that session. */
  async visits(tenantId: string, p: Period, maxSamples: number, seed: number): Promise<{ samples: VisitSample[]; totalVisits: number }> {
    const rows = rowsOf<{
      session_id: string;
      streamer_id: string | null;
      first_entry: Date;
      watch_sec: string;
      comments: number;
      coupons: number;
      lotteries: number;
      purchased: boolean;
      total_visits: number;
    }>(
      await this.ds.query(
        `WITH v AS (
           SELECT user_id, session_id, max(streamer_id) AS streamer_id,
             min(occurred_at) FILTER (WHERE kind = 'room_entry') AS first_entry,
             COALESCE(sum(qty) FILTER (WHERE kind = 'watch'), 0)::text AS watch_sec,
             (count(*) FILTER (WHERE kind = 'comment'))::int AS comments,
             (count(*) FILTER (WHERE kind = 'coupon_claim'))::int AS coupons,
             (count(*) FILTER (WHERE kind = 'lottery_join'))::int AS lotteries,
             (count(*) OVER ())::int AS total_visits
           FROM funnel_fact
           WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND session_id IS NOT NULL AND user_id IS NOT NULL
           GROUP BY user_id, session_id
           HAVING count(*) FILTER (WHERE kind = 'room_entry') > 0
           ORDER BY md5(user_id || chr(31) || session_id || chr(31) || $5::text), user_id, session_id
           LIMIT $4)
         SELECT v.*, EXISTS (SELECT 1 FROM ledger_entry l WHERE l.tenant_id = $1 AND l.kind = 'revenue' AND l.user_id = v.user_id AND l.session_id = v.session_id) AS purchased
         FROM v`,
        [tenantId, p.from, p.to, maxSamples, String(seed)],
      ),
    );
    const samples = rows.map((r) => ({
      sessionId: r.session_id,
      streamerId: r.streamer_id,
      firstEntryAt: new Date(r.first_entry).toISOString(),
      watchSec: Number(r.watch_sec),
      comments: r.comments,
      couponClaims: r.coupons,
      lotteryJoins: r.lotteries,
      purchased: r.purchased,
    }));
    return { samples, totalVisits: rows[0]?.total_visits ?? 0 };
  }

  /** Daily (ad spend, net revenue) per channel, days with spend only. */
  async channelDays(tenantId: string, p: Period): Promise<{ channel: string; day: string; spend: number; revenue: number }[]> {
    const rows = rowsOf<{ channel: string; day: string; spend: string; revenue: string }>(
      await this.ds.query(
        `SELECT channel, to_char(day, 'YYYY-MM-DD') AS day,
           COALESCE(sum(amount_minor) FILTER (WHERE kind = 'ad_spend'), 0)::text AS spend,
           COALESCE(sum(amount_minor) FILTER (WHERE kind IN ('revenue', 'refund')), 0)::text AS revenue
         FROM ledger_entry
         WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND channel IS NOT NULL AND kind IN ('ad_spend', 'revenue', 'refund')
         GROUP BY channel, day
         HAVING sum(amount_minor) FILTER (WHERE kind = 'ad_spend') > 0
         ORDER BY channel, day`,
        [tenantId, p.from, p.to],
      ),
    );
    return rows.map((r) => ({ channel: r.channel, day: r.day, spend: Number(r.spend), revenue: Number(r.revenue) }));
  }

  /** Trials = distinct users who entered a room of the group; successes = those of them with a paid order attributed to the group. */
  async conversionGroup(tenantId: string, dim: Exclude<Dimension, 'all'>, keys: string[], p: Period): Promise<{ n: number; x: number }> {
    const key = dimensionColumn(dim);
    const fkey = factColumn(dim);
    const [r] = rowsOf<{ n: number; x: number }>(
      await this.ds.query(
        `WITH entrants AS (
           SELECT DISTINCT user_id FROM funnel_fact
           WHERE tenant_id = $1 AND kind = 'room_entry' AND user_id IS NOT NULL AND occurred_at >= $2 AND occurred_at < $3 AND ${fkey} = ANY($4::text[])),
         buyers AS (
           SELECT DISTINCT user_id FROM ledger_entry
           WHERE tenant_id = $1 AND kind = 'revenue' AND user_id IS NOT NULL AND occurred_at >= $2 AND occurred_at < $3 AND ${key} = ANY($4::text[]))
         SELECT count(*)::int AS n, count(b.user_id)::int AS x FROM entrants e LEFT JOIN buyers b ON b.user_id = e.user_id`,
        [tenantId, p.from, p.to, keys],
      ),
    );
    return r;
  }
}
