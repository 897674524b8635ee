import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CanonicalEvent } from '@livepromo/contracts';
import { BatchDeltas, foldEvents, SessionRef, sessionKey } from '../domain/event-deltas';
import { StreamerRecord } from '../domain/streamer-features';
import { TrainingInput } from '../domain/tenant-model';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

const CHUNK = 500;

/** Multi-row INSERT … ON CONFLICT, chunked to stay under the bind-parameter limit. */
async function upsert(q: Query, table: string, cols: string[], rows: unknown[][], conflict: string): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const params: unknown[] = [];
    const values = chunk.map((r) => `(${r.map((v) => (params.push(v), `$${params.length}`)).join(',')})`).join(',');
    const res = await q(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${values} ${conflict}`, params);
    if (Array.isArray(res)) out.push(...res);
  }
  return out;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const ms = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));

export interface ApplyResult {
  applied: number;
  duplicates: number;
  tenants: string[];
  /** Courses whose row or audience the applied events changed (what a course answer reads besides the model). */
  courses: { tenantId: string; courseId: string }[];
}

export interface CourseRow {
  courseId: string;
  category: string | null;
  views: number;
  purchases: number;
  audience: string[];
  audienceSize: number;
}

/** All SQL of the service: feature upserts (idempotent by eventId), training reads, erasure, model runs. */
@Injectable()
export class RecommenderRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Applies the effect of a batch of clean events in one transaction; events seen before change nothing. */
  async applyEvents(events: readonly CanonicalEvent[]): Promise<ApplyResult> {
    const unique = new Map<string, CanonicalEvent>();
    for (const e of events) unique.set(`${e.tenantId}\u0001${e.eventId}`, e);
    if (!unique.size) return { applied: 0, duplicates: events.length, tenants: [], courses: [] };
    return this.ds.transaction(async (m: EntityManager) => {
      const q: Query = (sql, params) => m.query(sql, params);
      const inserted = await upsert(
        q,
        'processed_event',
        ['tenant_id', 'event_id'],
        [...unique.values()].map((e) => [e.tenantId, e.eventId]),
        'ON CONFLICT DO NOTHING RETURNING tenant_id, event_id',
      );
      const fresh = new Set(inserted.map((r) => `${String(r.tenant_id)}\u0001${String(r.event_id)}`));
      const todo = [...unique.entries()].filter(([k]) => fresh.has(k)).map(([, e]) => e);
      const sessions = await this.sessionsFor(q, todo);
      const d = foldEvents(todo, sessions);
      await this.applyDeltas(q, d);
      return { applied: todo.length, duplicates: events.length - todo.length, tenants: d.tenants, courses: d.courses.map((c) => ({ tenantId: c.tenantId, courseId: c.courseId })) };
    });
  }

  private async sessionsFor(q: Query, events: readonly CanonicalEvent[]): Promise<Map<string, SessionRef>> {
    const ids = [...new Set(events.filter((e) => e.liveSessionId).map((e) => e.liveSessionId as string))];
    const tenants = [...new Set(events.map((e) => e.tenantId))];
    const out = new Map<string, SessionRef>();
    if (!ids.length) return out;
    const rows = await q(
      `SELECT tenant_id, live_session_id, streamer_id, category, started_at FROM live_session WHERE tenant_id = ANY($1) AND live_session_id = ANY($2)`,
      [tenants, ids],
    );
    for (const r of rows)
      out.set(sessionKey(String(r.tenant_id), String(r.live_session_id)), {
        streamerId: (r.streamer_id as string | null) ?? null,
        category: (r.category as string | null) ?? null,
        startedAt: r.started_at ? new Date(r.started_at as string).toISOString() : null,
      });
    return out;
  }

  private async applyDeltas(q: Query, d: BatchDeltas): Promise<void> {
    await upsert(
      q,
      'streamer',
      ['tenant_id', 'streamer_id', 'name', 'categories', 'followers', 'price_band', 'profile_at'],
      d.profiles.map((p) => [p.tenantId, p.streamerId, p.name, p.categories.join(','), p.followers, p.priceBand, p.at]),
      `ON CONFLICT (tenant_id, streamer_id) DO UPDATE SET name = EXCLUDED.name, categories = EXCLUDED.categories, followers = EXCLUDED.followers,
         price_band = EXCLUDED.price_band, profile_at = EXCLUDED.profile_at
       WHERE streamer.profile_at IS NULL OR streamer.profile_at <= EXCLUDED.profile_at`,
    );
    const starts = new Map(d.sessionStarts.map((s) => [sessionKey(s.tenantId, s.liveSessionId), s]));
    await upsert(
      q,
      'live_session',
      ['tenant_id', 'live_session_id', 'streamer_id', 'category', 'started_at'],
      [...starts.values()].map((s) => [s.tenantId, s.liveSessionId, s.streamerId, s.category, s.startedAt]),
      `ON CONFLICT (tenant_id, live_session_id) DO UPDATE SET streamer_id = COALESCE(EXCLUDED.streamer_id, live_session.streamer_id),
         category = COALESCE(EXCLUDED.category, live_session.category), started_at = COALESCE(EXCLUDED.started_at, live_session.started_at)`,
    );
    const ends = new Map(d.sessionEnds.map((s) => [sessionKey(s.tenantId, s.liveSessionId), s]));
    await upsert(
      q,
      'live_session',
      ['tenant_id', 'live_session_id', 'streamer_id', 'ended_at', 'duration_sec', 'peak_viewers'],
      [...ends.values()].map((s) => [s.tenantId, s.liveSessionId, s.streamerId, s.endedAt, s.durationSec, s.peakViewers]),
      `ON CONFLICT (tenant_id, live_session_id) DO UPDATE SET streamer_id = COALESCE(live_session.streamer_id, EXCLUDED.streamer_id),
         ended_at = EXCLUDED.ended_at, duration_sec = EXCLUDED.duration_sec, peak_viewers = EXCLUDED.peak_viewers`,
    );
    await upsert(
      q,
      'streamer_activity',
      ['tenant_id', 'streamer_id', 'sessions', 'live_sec', 'enters', 'watch_sec', 'interactions', 'orders', 'revenue_minor'],
      d.activity.map((a) => [a.tenantId, a.streamerId, a.sessions, a.liveSec, a.enters, a.watchSec, a.interactions, a.orders, a.revenueMinor]),
      `ON CONFLICT (tenant_id, streamer_id) DO UPDATE SET sessions = streamer_activity.sessions + EXCLUDED.sessions,
         live_sec = streamer_activity.live_sec + EXCLUDED.live_sec, enters = streamer_activity.enters + EXCLUDED.enters,
         watch_sec = streamer_activity.watch_sec + EXCLUDED.watch_sec, interactions = streamer_activity.interactions + EXCLUDED.interactions,
         orders = streamer_activity.orders + EXCLUDED.orders, revenue_minor = streamer_activity.revenue_minor + EXCLUDED.revenue_minor`,
    );
    await upsert(
      q,
      'user_streamer',
      ['tenant_id', 'user_id', 'streamer_id', 'enters', 'watch_sec', 'interactions', 'purchases', 'last_at'],
      d.pairs.map((p) => [p.tenantId, p.userId, p.streamerId, p.enters, p.watchSec, p.interactions, p.purchases, p.lastAt]),
      `ON CONFLICT (tenant_id, user_id, streamer_id) DO UPDATE SET enters = user_streamer.enters + EXCLUDED.enters,
         watch_sec = user_streamer.watch_sec + EXCLUDED.watch_sec, interactions = user_streamer.interactions + EXCLUDED.interactions,
         purchases = user_streamer.purchases + EXCLUDED.purchases, last_at = GREATEST(user_streamer.last_at, EXCLUDED.last_at)`,
    );
    const add = (table: string, idCol: string, keyCol: string, rows: BatchDeltas['userCategories']) =>
      upsert(
        q,
        table,
        ['tenant_id', idCol, keyCol, 'weight'],
        rows.map((r) => [r.tenantId, r.id, r.key, r.weight]),
        `ON CONFLICT (tenant_id, ${idCol}, ${keyCol}) DO UPDATE SET weight = ${table}.weight + EXCLUDED.weight`,
      );
    await add('user_interest', 'user_id', 'category', d.userCategories);
    await add('streamer_category', 'streamer_id', 'category', d.streamerCategories);
    await add('course_audience', 'course_id', 'user_id', d.courseAudience);
    await upsert(
      q,
      'course',
      ['tenant_id', 'course_id', 'category', 'views', 'purchases'],
      d.courses.map((c) => [c.tenantId, c.courseId, c.category, c.views, c.purchases]),
      `ON CONFLICT (tenant_id, course_id) DO UPDATE SET category = COALESCE(EXCLUDED.category, course.category),
         views = course.views + EXCLUDED.views, purchases = course.purchases + EXCLUDED.purchases`,
    );
    await this.markDirty(q, d.tenants);
  }

  private async markDirty(q: Query, tenants: readonly string[]): Promise<void> {
    const now = new Date().toISOString();
    await upsert(q, 'dirty_tenant', ['tenant_id', 'changed_at'], tenants.map((t) => [t, now]), 'ON CONFLICT (tenant_id) DO UPDATE SET changed_at = EXCLUDED.changed_at');
  }

  /** Everything the model trains on, for one tenant. */
  async loadTrainingInput(tenantId: string): Promise<TrainingInput> {
    const q: Query = (sql, params) => this.ds.query(sql, params);
    const [profiles, activity, cats, pairs, interests] = await Promise.all([
      q(`SELECT streamer_id, name, categories, followers, price_band FROM streamer WHERE tenant_id = $1`, [tenantId]),
      q(`SELECT * FROM streamer_activity WHERE tenant_id = $1`, [tenantId]),
      q(`SELECT streamer_id, category, weight FROM streamer_category WHERE tenant_id = $1`, [tenantId]),
      q(`SELECT user_id, streamer_id, enters, watch_sec, interactions, purchases, last_at FROM user_streamer WHERE tenant_id = $1`, [tenantId]),
      q(`SELECT user_id, category, weight FROM user_interest WHERE tenant_id = $1`, [tenantId]),
    ]);
    const byId = new Map<string, StreamerRecord>();
    const rec = (id: string) => {
      let r = byId.get(id);
      if (!r)
        byId.set(
          id,
          (r = { streamerId: id, name: null, profileCategories: [], followers: 0, priceBand: null, sessions: 0, liveSec: 0, enters: 0, watchSec: 0, interactions: 0, orders: 0, revenueMinor: 0, sessionCategories: {} }),
        );
      return r;
    };
    for (const p of profiles) {
      const r = rec(String(p.streamer_id));
      r.name = (p.name as string | null) ?? null;
      r.profileCategories = ((p.categories as string | null) ?? '').split(',').filter(Boolean);
      r.followers = num(p.followers);
      r.priceBand = (p.price_band as StreamerRecord['priceBand']) ?? null;
    }
    for (const a of activity) {
      const r = rec(String(a.streamer_id));
      r.sessions = num(a.sessions);
      r.liveSec = num(a.live_sec);
      r.enters = num(a.enters);
      r.watchSec = num(a.watch_sec);
      r.interactions = num(a.interactions);
      r.orders = num(a.orders);
      r.revenueMinor = num(a.revenue_minor);
    }
    for (const c of cats) rec(String(c.streamer_id)).sessionCategories[String(c.category)] = num(c.weight);
    const streamers = [...byId.values()].sort((a, b) => (a.streamerId < b.streamerId ? -1 : a.streamerId > b.streamerId ? 1 : 0));
    return {
      tenantId,
      streamers,
      pairs: pairs.map((p) => ({
        userId: String(p.user_id),
        streamerId: String(p.streamer_id),
        enters: num(p.enters),
        watchSec: num(p.watch_sec),
        interactions: num(p.interactions),
        purchases: num(p.purchases),
        lastAt: ms(p.last_at),
      })),
      userInterests: interests.map((i) => ({ userId: String(i.user_id), category: String(i.category), weight: num(i.weight) })),
    };
  }

  async loadCourse(tenantId: string, courseId: string, maxAudience = 10000): Promise<CourseRow | null> {
    const rows: Row[] = await this.ds.query(`SELECT course_id, category, views, purchases FROM course WHERE tenant_id = $1 AND course_id = $2`, [tenantId, courseId]);
    const aud: Row[] = await this.ds.query(
      `SELECT user_id, count(*) OVER () AS total FROM course_audience WHERE tenant_id = $1 AND course_id = $2 ORDER BY weight DESC, user_id LIMIT $3`,
      [tenantId, courseId, maxAudience],
    );
    if (!rows.length) return null;
    return {
      courseId,
      category: (rows[0].category as string | null) ?? null,
      views: num(rows[0].views),
      purchases: num(rows[0].purchases),
      audience: aud.map((a) => String(a.user_id)),
      audienceSize: aud.length ? num(aud[0].total) : 0,
    };
  }

  /** Deletes everything kept about one user of one tenant (privacy.erasure.v1). */
  async eraseUser(tenantId: string, userId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (const table of ['user_streamer', 'user_interest', 'course_audience']) await m.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
      await this.markDirty((sql, p) => m.query(sql, p), [tenantId]);
    });
  }

  async dirtyTenants(): Promise<{ tenantId: string; changedAt: string }[]> {
    const rows: Row[] = await this.ds.query(`SELECT tenant_id, changed_at FROM dirty_tenant ORDER BY changed_at`);
    return rows.map((r) => ({ tenantId: String(r.tenant_id), changedAt: new Date(r.changed_at as string).toISOString() }));
  }

  /** Clears the dirty mark unless the tenant changed again after `trainedFrom`. */
  async markTrained(tenantId: string, trainedFrom: string): Promise<void> {
    await this.ds.query(`DELETE FROM dirty_tenant WHERE tenant_id = $1 AND changed_at <= $2`, [tenantId, trainedFrom]);
  }

  async saveModelRun(tenantId: string, version: string, trainedAt: string, trainingMs: number, summary: unknown): Promise<void> {
    await this.ds.query(`INSERT INTO model_run (tenant_id, model_version, trained_at, training_ms, summary) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`, [
      tenantId,
      version,
      trainedAt,
      Math.round(trainingMs),
      JSON.stringify(summary),
    ]);
  }
}
