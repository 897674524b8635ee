import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SessionTotals } from '../domain/live-content-score';

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const parse = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

export interface MinuteSums {
  minuteStartMs: number;
  entered: number;
  left: number;
  comments: number;
  likes: number;
  clicks: number;
  orders: number;
  revenueMinor: number;
}

/** Session totals for L from the live tables (sum of the session's 10-second buckets, accepted suggestions), and L's weights. */
@Injectable()
export class ContentScoreRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** null when the tenant has no such session. */
  async sessionTotals(tenantId: string, sessionId: string): Promise<{ totals: SessionTotals; buckets: number; streamerId: string | null; endedAtMs: number | null } | null> {
    const session: Row[] = await this.ds.query(`SELECT streamer_id, ended_at_ms FROM live_session WHERE tenant_id = $1 AND session_id = $2`, [tenantId, sessionId]);
    if (!session.length) return null;
    const [sums]: Row[] = await this.ds.query(
      `SELECT count(*) AS buckets, sum(c_entered) AS entered, sum(c_comments) AS comments, sum(c_likes) AS likes, sum(c_gifts) AS gifts,
              sum(c_shares) AS shares, sum(c_follows) AS follows, sum(c_clicks) AS clicks, sum(c_coupons) AS coupons,
              sum(c_lottery_joins) AS lottery_joins, sum(c_classified) AS classified, sum(c_intent_course_content) AS intent_course_content,
              sum(c_intent_praise) AS intent_praise, sum(c_sent_negative) AS sent_negative
         FROM live_bucket WHERE tenant_id = $1 AND session_id = $2`,
      [tenantId, sessionId],
    );
    const [acc]: Row[] = await this.ds.query(`SELECT count(*) AS n FROM suggestion WHERE tenant_id = $1 AND session_id = $2 AND feedback = 'accepted'`, [tenantId, sessionId]);
    return {
      buckets: num(sums.buckets),
      streamerId: (session[0].streamer_id as string | null) ?? null,
      endedAtMs: session[0].ended_at_ms === null || session[0].ended_at_ms === undefined ? null : Number(session[0].ended_at_ms),
      totals: {
        entered: num(sums.entered),
        comments: num(sums.comments),
        likes: num(sums.likes),
        gifts: num(sums.gifts),
        shares: num(sums.shares),
        follows: num(sums.follows),
        clicks: num(sums.clicks),
        coupons: num(sums.coupons),
        lotteryJoins: num(sums.lottery_joins),
        classified: num(sums.classified),
        intentCourseContent: num(sums.intent_course_content),
        intentPraise: num(sums.intent_praise),
        sentNegative: num(sums.sent_negative),
        acceptedSuggestions: num(acc.n),
      },
    };
  }

  /** Per-minute sums of the session's 10-second buckets, oldest first (null when the tenant has no such session). */
  async minuteSums(tenantId: string, sessionId: string): Promise<MinuteSums[] | null> {
    const session: Row[] = await this.ds.query(`SELECT 1 FROM live_session WHERE tenant_id = $1 AND session_id = $2`, [tenantId, sessionId]);
    if (!session.length) return null;
    const rows: Row[] = await this.ds.query(
      `SELECT (bucket_start / 60000) * 60000 AS minute_start, sum(c_entered) AS entered, sum(c_left) AS left_count, sum(c_comments) AS comments,
              sum(c_likes) AS likes, sum(c_clicks) AS clicks, sum(c_orders) AS orders, sum(c_revenue_minor) AS revenue_minor
         FROM live_bucket WHERE tenant_id = $1 AND session_id = $2 GROUP BY 1 ORDER BY 1`,
      [tenantId, sessionId],
    );
    return rows.map((r) => ({
      minuteStartMs: num(r.minute_start),
      entered: num(r.entered),
      left: num(r.left_count),
      comments: num(r.comments),
      likes: num(r.likes),
      clicks: num(r.clicks),
      orders: num(r.orders),
      revenueMinor: num(r.revenue_minor),
    }));
  }

  async findWeights(tenantId: string): Promise<unknown> {
    const rows: Row[] = await this.ds.query(`SELECT weights FROM content_score_weights WHERE tenant_id = $1`, [tenantId]);
    return rows.length ? parse(rows[0].weights) : null;
  }

  async saveWeights(tenantId: string, weights: unknown): Promise<void> {
    await this.ds.query(
      `INSERT INTO content_score_weights (tenant_id, weights, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (tenant_id) DO UPDATE SET weights = EXCLUDED.weights, updated_at = now()`,
      [tenantId, JSON.stringify(weights)],
    );
  }
}
