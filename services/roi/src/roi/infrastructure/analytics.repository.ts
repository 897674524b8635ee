import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Dimension, dimensionColumn } from '../domain/dimensions';
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
    const key = dimensionColumn(dim);
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
    const key = dimensionColumn(dim);
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
   * Funnel counts per key; "kept" = paid orders without any refund whose refund window closed by `asOf`
   * (a refund follows its payment, so only refunds from the period start on are looked at).
   */
  async funnel(tenantId: string, dim: Dimension, p: Period, asOf: string, limit: number): Promise<FunnelCounts[]> {
    const key = dimensionColumn(dim, 'l');
    const paid = rowsOf<{ key: string; paid: number; kept: number; pending: number; refunded: number }>(
      await this.ds.query(
        `SELECT ${key} AS key, count(*)::int AS paid,
           (count(*) FILTER (WHERE rf.order_id IS NULL AND l.window_ends_at <= $4))::int AS kept,
           (count(*) FILTER (WHERE rf.order_id IS NULL AND l.window_ends_at > $4))::int AS pending,
           (count(*) FILTER (WHERE rf.order_id IS NOT NULL))::int AS refunded
         FROM ledger_entry l
         LEFT JOIN (SELECT DISTINCT order_id FROM ledger_entry
                    WHERE tenant_id = $1 AND kind = 'refund' AND order_id IS NOT NULL AND occurred_at >= $2) rf ON rf.order_id = l.order_id
         WHERE l.tenant_id = $1 AND l.kind = 'revenue' AND l.occurred_at >= $2 AND l.occurred_at < $3
         GROUP BY 1`,
        [tenantId, p.from, p.to, asOf],
      ),
    );
    const facts = await this.countFacts(tenantId, dim, p, null);
    const keys = new Set([...paid.map((r) => r.key), ...facts.keys()]);
    const byKey = new Map(paid.map((r) => [r.key, r]));
    const out: FunnelCounts[] = [...keys].map((k) => {
      const f = facts.get(k);
      const q = byKey.get(k);
      return {
        key: k,
        impressions: Number(f?.impressions ?? 0),
        roomEntries: f?.room_entries ?? 0,
        productClicks: f?.clicks ?? 0,
        ordersCreated: f?.orders ?? 0,
        paidOrders: q?.paid ?? 0,
        keptOrders: q?.kept ?? 0,
        pendingOrders: q?.pending ?? 0,
        refundedOrders: q?.refunded ?? 0,
      };
    });
    out.sort((a, b) => b.roomEntries - a.roomEntries || b.paidOrders - a.paidOrders || (a.key < b.key ? -1 : 1));
    return out.slice(0, limit);
  }

  /** (user, session) visits with their interactions and whether a paid order was attributed to that session. */
  async visits(tenantId: string, p: Period, maxSamples: number): Promise<VisitSample[]> {
    const rows = rowsOf<{
      session_id: string;
      streamer_id: string | null;
      first_entry: Date;
      watch_sec: string;
      comments: number;
      coupons: number;
      lotteries: number;
      purchased: boolean;
    }>(
      await this.ds.query(
        `WITH v AS (
           SELECT user_id, session_id, max(streamer_id) AS streamer_id,
             min(occurred_at) FILTER (WHERE kind = 'room_entry') AS first_entry,
             COALESCE(sum(qty) FILTER (WHERE kind = 'watch'), 0)::text AS watch_sec,
             (count(*) FILTER (WHERE kind = 'comment'))::int AS comments,
             (count(*) FILTER (WHERE kind = 'coupon_claim'))::int AS coupons,
             (count(*) FILTER (WHERE kind = 'lottery_join'))::int AS lotteries
           FROM funnel_fact
           WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND session_id IS NOT NULL AND user_id IS NOT NULL
           GROUP BY user_id, session_id
           HAVING count(*) FILTER (WHERE kind = 'room_entry') > 0
           ORDER BY user_id, session_id
           LIMIT $4)
         SELECT v.*, EXISTS (SELECT 1 FROM ledger_entry l WHERE l.tenant_id = $1 AND l.kind = 'revenue' AND l.user_id = v.user_id AND l.session_id = v.session_id) AS purchased
         FROM v`,
        [tenantId, p.from, p.to, maxSamples],
      ),
    );
    return rows.map((r) => ({
      sessionId: r.session_id,
      streamerId: r.streamer_id,
      firstEntryAt: new Date(r.first_entry).toISOString(),
      watchSec: Number(r.watch_sec),
      comments: r.comments,
      couponClaims: r.coupons,
      lotteryJoins: r.lotteries,
      purchased: r.purchased,
    }));
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
    const [r] = rowsOf<{ n: number; x: number }>(
      await this.ds.query(
        `WITH entrants AS (
           SELECT DISTINCT user_id FROM funnel_fact
           WHERE tenant_id = $1 AND kind = 'room_entry' AND user_id IS NOT NULL AND occurred_at >= $2 AND occurred_at < $3 AND ${key} = ANY($4::text[])),
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
