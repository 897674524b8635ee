import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StreamerScoreRecord } from '../domain/streamer-score';

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const parse = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

/** Reads the streamer tables the recommender keeps (profiles, activity counters, session categories) and M's weights. */
@Injectable()
export class StreamerScoreRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async loadStreamers(tenantId: string): Promise<StreamerScoreRecord[]> {
    const q = (sql: string): Promise<Row[]> => this.ds.query(sql, [tenantId]);
    const [profiles, activity, cats] = await Promise.all([
      q(`SELECT streamer_id, name, categories, followers FROM streamer WHERE tenant_id = $1`),
      q(`SELECT streamer_id, sessions, live_sec, enters, orders FROM streamer_activity WHERE tenant_id = $1`),
      q(`SELECT streamer_id, category, weight FROM streamer_category WHERE tenant_id = $1`),
    ]);
    const byId = new Map<string, StreamerScoreRecord>();
    const rec = (id: string): StreamerScoreRecord => {
      let r = byId.get(id);
      if (!r) byId.set(id, (r = { streamerId: id, name: null, profileCategories: [], sessionCategories: {}, followers: 0, sessions: 0, liveSec: 0, enters: 0, orders: 0 }));
      return r;
    };
    for (const p of profiles) {
      const r = rec(String(p.streamer_id));
      r.name = (p.name as string | null) ?? null;
      r.profileCategories = ((p.categories as string | null) ?? '').split(',').filter(Boolean);
      r.followers = num(p.followers);
    }
    for (const a of activity) Object.assign(rec(String(a.streamer_id)), { sessions: num(a.sessions), liveSec: num(a.live_sec), enters: num(a.enters), orders: num(a.orders) });
    for (const c of cats) rec(String(c.streamer_id)).sessionCategories[String(c.category)] = num(c.weight);
    return [...byId.values()];
  }

  /** The course's category, undefined when the course is unknown. */
  async courseCategory(tenantId: string, courseId: string): Promise<string | null | undefined> {
    const rows: Row[] = await this.ds.query(`SELECT category FROM course WHERE tenant_id = $1 AND course_id = $2`, [tenantId, courseId]);
    return rows.length ? ((rows[0].category as string | null) ?? null) : undefined;
  }

  async findWeights(tenantId: string): Promise<unknown> {
    const rows: Row[] = await this.ds.query(`SELECT weights FROM streamer_score_weights WHERE tenant_id = $1`, [tenantId]);
    return rows.length ? parse(rows[0].weights) : null;
  }

  async saveWeights(tenantId: string, weights: unknown): Promise<void> {
    await this.ds.query(
      `INSERT INTO streamer_score_weights (tenant_id, weights, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (tenant_id) DO UPDATE SET weights = EXCLUDED.weights, updated_at = now()`,
      [tenantId, JSON.stringify(weights)],
    );
  }
}
