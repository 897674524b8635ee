import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Bucket, BUCKET_MS, COUNTER_FIELDS, Counters, emptyCounters, WindowMetrics, WindowSec } from '../domain/live-window';
import { ArmPosterior } from '../domain/thompson-sampling';
import { Outcome } from '../domain/outcome';
import { chunks, counterColumn, placeholders } from './live-state.sql';

export interface SessionRow {
  tenantId: string;
  sessionId: string;
  streamerId: string | null;
  category: string | null;
  startedAtMs: number | null;
  endedAtMs: number | null;
  watermarkMs: number | null;
  /**
   * Window end up to which each length is closed; `origin` = earliest event before the first close;
   * `clean` = newest event time on events.clean.v1 (the clock windows close on; classifications do not move it).
   */
  closedUntil: Partial<Record<WindowSec | 'origin' | 'clean', number>>;
  lastFired: Record<string, number>;
}

export interface WindowRow {
  tenantId: string;
  sessionId: string;
  windowSec: number;
  windowEndMs: number;
  streamerId: string | null;
  category: string | null;
  metrics: WindowMetrics;
  published: unknown;
  worstMetric: string | null;
}

export interface SuggestionRow {
  tenantId: string;
  suggestionId: string;
  sessionId: string;
  category: string;
  trigger: string;
  strategy: string;
  windowEndMs: number;
  payload: unknown;
  feedback: string | null;
  outcome: Outcome | null;
}

export type OutboxTopic = 'live.metrics.v1' | 'live.suggestions.v1';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const COUNTER_COLS = COUNTER_FIELDS.map(counterColumn);

/** All SQL of the live state. Methods taking an EntityManager run inside the caller's transaction. */
@Injectable()
export class LiveStateRepository {
  constructor(@Inject(DataSource) readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** Records eventIds; returns the `tenant\u0000eventId` keys that were new (the ones to apply). */
  async claimEvents(m: EntityManager, rows: { tenantId: string; eventId: string; sessionId: string }[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const part of chunks(rows, 3)) {
      const res = await m.query<{ tenant_id: string; event_id: string }[]>(
        `INSERT INTO applied_event (tenant_id, event_id, session_id) VALUES ${placeholders(part.length, 3)}
         ON CONFLICT DO NOTHING RETURNING tenant_id, event_id`,
        part.flatMap((r) => [r.tenantId, r.eventId, r.sessionId]),
      );
      for (const r of res) fresh.add(`${r.tenant_id}\u0000${r.event_id}`);
    }
    return fresh;
  }

  /** Records viewers; returns `tenant\u0000session\u0000user` keys seen for the first time. Rows must be unique. */
  async claimViewers(
    m: EntityManager,
    rows: { tenantId: string; sessionId: string; userId: string; atMs: number }[],
  ): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const part of chunks(rows, 4)) {
      const res = await m.query<{ tenant_id: string; session_id: string; user_id: string }[]>(
        `INSERT INTO session_viewer (tenant_id, session_id, user_id, first_seen_ms) VALUES ${placeholders(part.length, 4)}
         ON CONFLICT DO NOTHING RETURNING tenant_id, session_id, user_id`,
        part.flatMap((r) => [r.tenantId, r.sessionId, r.userId, r.atMs]),
      );
      for (const r of res) fresh.add(`${r.tenant_id}\u0000${r.session_id}\u0000${r.user_id}`);
    }
    return fresh;
  }

  /** Adds counter deltas to buckets (rows must have unique keys). */
  async addToBuckets(m: EntityManager, rows: { tenantId: string; sessionId: string; start: number; counters: Counters }[]): Promise<void> {
    const cols = 3 + COUNTER_COLS.length;
    for (const part of chunks(rows, cols)) {
      await m.query(
        `INSERT INTO live_bucket (tenant_id, session_id, bucket_start, ${COUNTER_COLS.join(', ')}) VALUES ${placeholders(part.length, cols)}
         ON CONFLICT (tenant_id, session_id, bucket_start) DO UPDATE SET ${COUNTER_COLS.map((c) => `${c} = live_bucket.${c} + EXCLUDED.${c}`).join(', ')}`,
        part.flatMap((r) => [r.tenantId, r.sessionId, r.start, ...COUNTER_FIELDS.map((f) => r.counters[f])]),
      );
    }
  }

  /** Creates missing session rows, then locks all of them (sorted, so concurrent batches cannot deadlock). */
  async lockSessions(m: EntityManager, tenantId: string, sessionIds: string[]): Promise<Map<string, SessionRow>> {
    const ids = [...new Set(sessionIds)].sort();
    await m.query(
      `INSERT INTO live_session (tenant_id, session_id) VALUES ${placeholders(ids.length, 2)} ON CONFLICT DO NOTHING`,
      ids.flatMap((id) => [tenantId, id]),
    );
    const rows = await m.query<Record<string, unknown>[]>(
      `SELECT * FROM live_session WHERE tenant_id = $1 AND session_id = ANY($2) ORDER BY session_id FOR UPDATE`,
      [tenantId, ids],
    );
    return new Map(rows.map((r) => [String(r.session_id), this.toSession(r)]));
  }

  /** A tenant's sessions, most recent event time first. */
  async listSessions(tenantId: string, limit: number): Promise<SessionRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT * FROM live_session WHERE tenant_id = $1 ORDER BY COALESCE(watermark_ms, started_at_ms, 0) DESC, session_id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((r) => this.toSession(r));
  }

  async getSession(tenantId: string, sessionId: string): Promise<SessionRow | null> {
    const rows = await this.ds.query<Record<string, unknown>[]>(`SELECT * FROM live_session WHERE tenant_id = $1 AND session_id = $2`, [
      tenantId,
      sessionId,
    ]);
    return rows[0] ? this.toSession(rows[0]) : null;
  }

  private toSession(r: Record<string, unknown>): SessionRow {
    return {
      tenantId: String(r.tenant_id),
      sessionId: String(r.session_id),
      streamerId: (r.streamer_id as string | null) ?? null,
      category: (r.category as string | null) ?? null,
      startedAtMs: num(r.started_at_ms),
      endedAtMs: num(r.ended_at_ms),
      watermarkMs: num(r.watermark_ms),
      closedUntil: (r.closed_until as SessionRow['closedUntil']) ?? {},
      lastFired: (r.last_fired as Record<string, number>) ?? {},
    };
  }

  /** Updates many session rows in one statement. */
  async saveSessions(m: EntityManager, rows: SessionRow[]): Promise<void> {
    const casts = ['varchar', 'varchar', 'varchar', 'varchar', 'bigint', 'bigint', 'bigint', 'jsonb', 'jsonb'];
    for (const part of chunks(rows, casts.length)) {
      const values = part.map((_, r) => `(${casts.map((c, i) => `$${r * casts.length + i + 1}::${c}`).join(',')})`).join(',');
      await m.query(
        `UPDATE live_session AS t SET streamer_id = v.streamer_id, category = v.category, started_at_ms = v.started_at_ms, ended_at_ms = v.ended_at_ms,
           watermark_ms = v.watermark_ms, closed_until = v.closed_until, last_fired = v.last_fired, updated_at = now()
         FROM (VALUES ${values}) AS v(tenant_id, session_id, streamer_id, category, started_at_ms, ended_at_ms, watermark_ms, closed_until, last_fired)
         WHERE t.tenant_id = v.tenant_id AND t.session_id = v.session_id`,
        part.flatMap((s) => [
          s.tenantId,
          s.sessionId,
          s.streamerId,
          s.category,
          s.startedAtMs,
          s.endedAtMs,
          s.watermarkMs,
          JSON.stringify(s.closedUntil),
          JSON.stringify(s.lastFired),
        ]),
      );
    }
  }

  /**
   * Buckets of several sessions of a tenant from a per-session time on, in time order, preceded by
   * one synthetic bucket (at from − 10 s) carrying the entries and exits before it, which is all
   * that windows need from the past (viewers at window start). Keeps long sessions cheap.
   */
  async loadBucketsFor(m: EntityManager, tenantId: string, fromBySession: Map<string, number>): Promise<Map<string, Bucket[]>> {
    const out = new Map<string, Bucket[]>();
    if (fromBySession.size === 0) return out;
    const ids = [...fromBySession.keys()];
    const froms = ids.map((id) => fromBySession.get(id)!);
    const before = await m.query<{ session_id: string; entered: string; left_count: string }[]>(
      `SELECT b.session_id, sum(b.c_entered) AS entered, sum(b.c_left) AS left_count FROM live_bucket b
         JOIN unnest($2::text[], $3::bigint[]) AS f(sid, from_ms) ON b.session_id = f.sid
       WHERE b.tenant_id = $1 AND b.bucket_start < f.from_ms GROUP BY b.session_id`,
      [tenantId, ids, froms],
    );
    for (const r of before) {
      const counters = emptyCounters();
      counters.entered = Number(r.entered);
      counters.left = Number(r.left_count);
      out.set(r.session_id, [{ start: fromBySession.get(r.session_id)! - BUCKET_MS, counters }]);
    }
    const rows = await m.query<Record<string, unknown>[]>(
      `SELECT b.* FROM live_bucket b JOIN unnest($2::text[], $3::bigint[]) AS f(sid, from_ms) ON b.session_id = f.sid
       WHERE b.tenant_id = $1 AND b.bucket_start >= f.from_ms ORDER BY b.session_id, b.bucket_start`,
      [tenantId, ids, froms],
    );
    for (const r of rows) {
      const counters = {} as Counters;
      COUNTER_FIELDS.forEach((f, i) => (counters[f] = Number(r[COUNTER_COLS[i]])));
      const id = String(r.session_id);
      const list = out.get(id) ?? [];
      list.push({ start: Number(r.bucket_start), counters });
      out.set(id, list);
    }
    return out;
  }

  /** All arms of a tenant, keyed `category|trigger`. */
  async loadTenantArms(m: EntityManager, tenantId: string): Promise<Map<string, ArmPosterior[]>> {
    const rows = await m.query<
      {
        category: string;
        trigger: string;
        strategy: string;
        alpha: number;
        beta: number;
      }[]
    >(`SELECT category, trigger, strategy, alpha, beta FROM bandit_arm WHERE tenant_id = $1`, [tenantId]);
    const out = new Map<string, ArmPosterior[]>();
    for (const r of rows) {
      const k = `${r.category}|${r.trigger}`;
      const list = out.get(k) ?? [];
      list.push({ arm: r.strategy, alpha: Number(r.alpha), beta: Number(r.beta) });
      out.set(k, list);
    }
    return out;
  }

  /** Accepted, unmeasured suggestions of several sessions, by session. */
  async pendingOutcomesFor(m: EntityManager, tenantId: string, sessionIds: string[]): Promise<Map<string, SuggestionRow[]>> {
    const out = new Map<string, SuggestionRow[]>();
    if (sessionIds.length === 0) return out;
    const rows = await m.query<Record<string, unknown>[]>(
      `SELECT * FROM suggestion WHERE tenant_id = $1 AND session_id = ANY($2) AND feedback = 'accepted' AND outcome IS NULL`,
      [tenantId, sessionIds],
    );
    for (const r of rows) {
      const sg = this.toSuggestion(r);
      const list = out.get(sg.sessionId) ?? [];
      list.push(sg);
      out.set(sg.sessionId, list);
    }
    return out;
  }

  async loadBuckets(m: EntityManager | DataSource, tenantId: string, sessionId: string): Promise<Bucket[]> {
    const rows = await m.query<Record<string, unknown>[]>(
      `SELECT * FROM live_bucket WHERE tenant_id = $1 AND session_id = $2 ORDER BY bucket_start`,
      [tenantId, sessionId],
    );
    return rows.map((r) => {
      const counters = {} as Counters;
      COUNTER_FIELDS.forEach((f, i) => (counters[f] = Number(r[COUNTER_COLS[i]])));
      return { start: Number(r.bucket_start), counters };
    });
  }

  /** Inserts closed windows; returns the keys `session|sec|end` that were new. */
  async insertWindows(m: EntityManager, rows: WindowRow[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const part of chunks(rows, 9)) {
      const res = await m.query<{ session_id: string; window_sec: number; window_end_ms: string }[]>(
        `INSERT INTO window_metric (tenant_id, session_id, window_sec, window_end_ms, streamer_id, category, metrics, published, worst_metric)
         VALUES ${placeholders(part.length, 9)} ON CONFLICT DO NOTHING RETURNING session_id, window_sec, window_end_ms`,
        part.flatMap((r) => [
          r.tenantId,
          r.sessionId,
          r.windowSec,
          r.windowEndMs,
          r.streamerId,
          r.category,
          JSON.stringify(r.metrics),
          JSON.stringify(r.published),
          r.worstMetric,
        ]),
      );
      for (const r of res) fresh.add(`${r.session_id}|${r.window_sec}|${r.window_end_ms}`);
    }
    return fresh;
  }

  /**
   * Rewrites closed windows whose metrics changed (late events); returns the keys `session|sec|end`
   * that changed. Windows never written are left alone.
   */
  async reviseWindows(m: EntityManager, rows: WindowRow[]): Promise<Set<string>> {
    type Key = { session_id: string; window_sec: number; window_end_ms: string };
    const changed = new Set<string>();
    const casts = ['varchar', 'varchar', 'int', 'bigint', 'jsonb', 'jsonb', 'varchar'];
    for (const part of chunks(rows, casts.length)) {
      const values = part.map((_, r) => `(${casts.map((c, i) => `$${r * casts.length + i + 1}::${c}`).join(',')})`).join(',');
      const res = await m.query<unknown[]>(
        `UPDATE window_metric AS w SET metrics = v.metrics, published = v.published, worst_metric = v.worst_metric
         FROM (VALUES ${values}) AS v(tenant_id, session_id, window_sec, window_end_ms, metrics, published, worst_metric)
         WHERE w.tenant_id = v.tenant_id AND w.session_id = v.session_id AND w.window_sec = v.window_sec
           AND w.window_end_ms = v.window_end_ms AND w.metrics <> v.metrics
         RETURNING w.session_id, w.window_sec, w.window_end_ms`,
        part.flatMap((r) => [r.tenantId, r.sessionId, r.windowSec, r.windowEndMs, JSON.stringify(r.metrics), JSON.stringify(r.published), r.worstMetric]),
      );
      // TypeORM answers an UPDATE … RETURNING on postgres as [rows, affected count]
      const list = (Array.isArray(res[0]) ? res[0] : res) as Key[];
      for (const r of list) changed.add(`${r.session_id}|${r.window_sec}|${r.window_end_ms}`);
    }
    return changed;
  }

  /** Past windows of a streamer (or of a category when `by` is 'category'), newest first. */
  /** `m`: the caller's transaction, if any — a second connection would wait on it (PGlite serialises sessions). */
  async pastWindows(
    tenantId: string,
    by: 'streamer' | 'category',
    key: string,
    windowSec: number,
    limit: number,
    m: EntityManager | DataSource = this.ds,
  ): Promise<{ sessionId: string; streamerId: string | null; metrics: WindowMetrics }[]> {
    const col = by === 'streamer' ? 'streamer_id' : 'category';
    const rows = await m.query<{ session_id: string; streamer_id: string | null; metrics: WindowMetrics }[]>(
      `SELECT session_id, streamer_id, metrics FROM window_metric WHERE tenant_id = $1 AND ${col} = $2 AND window_sec = $3 ORDER BY window_end_ms DESC LIMIT $4`,
      [tenantId, key, windowSec, limit],
    );
    return rows.map((r) => ({ sessionId: r.session_id, streamerId: r.streamer_id, metrics: r.metrics }));
  }

  async latestWindows(tenantId: string, sessionId: string, windowSec: number, limit: number): Promise<WindowRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT * FROM window_metric WHERE tenant_id = $1 AND session_id = $2 AND window_sec = $3 ORDER BY window_end_ms DESC LIMIT $4`,
      [tenantId, sessionId, windowSec, limit],
    );
    return rows.map((r) => ({
      tenantId: String(r.tenant_id),
      sessionId: String(r.session_id),
      windowSec: Number(r.window_sec),
      windowEndMs: Number(r.window_end_ms),
      streamerId: (r.streamer_id as string | null) ?? null,
      category: (r.category as string | null) ?? null,
      metrics: r.metrics as WindowMetrics,
      published: r.published,
      worstMetric: (r.worst_metric as string | null) ?? null,
    }));
  }

  async listArms(
    tenantId: string,
    category?: string,
    trigger?: string,
  ): Promise<{ category: string; trigger: string; strategy: string; alpha: number; beta: number; pulls: number }[]> {
    const rows = await this.ds.query<{ category: string; trigger: string; strategy: string; alpha: number; beta: number; pulls: number }[]>(
      `SELECT category, trigger, strategy, alpha, beta, pulls FROM bandit_arm WHERE tenant_id = $1 AND ($2::text IS NULL OR category = $2) AND ($3::text IS NULL OR trigger = $3)
       ORDER BY category, trigger, strategy`,
      [tenantId, category ?? null, trigger ?? null],
    );
    return rows.map((r) => ({ ...r, alpha: Number(r.alpha), beta: Number(r.beta), pulls: Number(r.pulls) }));
  }

  /** Adds a reward to an arm (creating it at the Beta(1, 1) prior first). */
  async rewardArm(m: EntityManager, tenantId: string, category: string, trigger: string, strategy: string, reward: number): Promise<void> {
    await m.query(
      `INSERT INTO bandit_arm (tenant_id, category, trigger, strategy, alpha, beta, pulls) VALUES ($1, $2, $3, $4, 1 + $5::double precision, 2 - $5::double precision, 1)
       ON CONFLICT (tenant_id, category, trigger, strategy) DO UPDATE SET alpha = bandit_arm.alpha + $5::double precision, beta = bandit_arm.beta + 1 - $5::double precision,
         pulls = bandit_arm.pulls + 1, updated_at = now()`,
      [tenantId, category, trigger, strategy, reward],
    );
  }

  async insertSuggestions(m: EntityManager, rows: SuggestionRow[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const part of chunks(rows, 8)) {
      const res = await m.query<{ suggestion_id: string }[]>(
        `INSERT INTO suggestion (tenant_id, suggestion_id, session_id, category, trigger, strategy, window_end_ms, payload)
         VALUES ${placeholders(part.length, 8)} ON CONFLICT DO NOTHING RETURNING suggestion_id`,
        part.flatMap((r) => [
          r.tenantId,
          r.suggestionId,
          r.sessionId,
          r.category,
          r.trigger,
          r.strategy,
          r.windowEndMs,
          JSON.stringify(r.payload),
        ]),
      );
      for (const r of res) fresh.add(r.suggestion_id);
    }
    return fresh;
  }

  async recentSuggestions(tenantId: string, sessionId: string, limit: number): Promise<SuggestionRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT * FROM suggestion WHERE tenant_id = $1 AND session_id = $2 ORDER BY window_end_ms DESC, suggestion_id LIMIT $3`,
      [tenantId, sessionId, limit],
    );
    return rows.map((r) => this.toSuggestion(r));
  }

  async getSuggestion(m: EntityManager | DataSource, tenantId: string, suggestionId: string): Promise<SuggestionRow | null> {
    const rows = await m.query<Record<string, unknown>[]>(`SELECT * FROM suggestion WHERE tenant_id = $1 AND suggestion_id = $2`, [
      tenantId,
      suggestionId,
    ]);
    return rows[0] ? this.toSuggestion(rows[0]) : null;
  }

  /** Accepted suggestions of a session whose outcome is not measured yet. */
  async pendingOutcomes(m: EntityManager, tenantId: string, sessionId: string): Promise<SuggestionRow[]> {
    const rows = await m.query<Record<string, unknown>[]>(
      `SELECT * FROM suggestion WHERE tenant_id = $1 AND session_id = $2 AND feedback = 'accepted' AND outcome IS NULL`,
      [tenantId, sessionId],
    );
    return rows.map((r) => this.toSuggestion(r));
  }

  async setFeedback(m: EntityManager, tenantId: string, suggestionId: string, decision: string): Promise<void> {
    await m.query(`UPDATE suggestion SET feedback = $3, feedback_at = now() WHERE tenant_id = $1 AND suggestion_id = $2`, [
      tenantId,
      suggestionId,
      decision,
    ]);
  }

  async setOutcome(m: EntityManager, tenantId: string, suggestionId: string, outcome: Outcome): Promise<void> {
    await m.query(`UPDATE suggestion SET outcome = $3 WHERE tenant_id = $1 AND suggestion_id = $2`, [
      tenantId,
      suggestionId,
      JSON.stringify(outcome),
    ]);
  }

  private toSuggestion(r: Record<string, unknown>): SuggestionRow {
    return {
      tenantId: String(r.tenant_id),
      suggestionId: String(r.suggestion_id),
      sessionId: String(r.session_id),
      category: String(r.category),
      trigger: String(r.trigger),
      strategy: String(r.strategy),
      windowEndMs: Number(r.window_end_ms),
      payload: r.payload,
      feedback: (r.feedback as string | null) ?? null,
      outcome: (r.outcome as Outcome | null) ?? null,
    };
  }

  async enqueue(m: EntityManager, rows: { topic: OutboxTopic; message: unknown }[]): Promise<void> {
    for (const part of chunks(rows, 2)) {
      await m.query(
        `INSERT INTO outbox (topic, message) VALUES ${placeholders(part.length, 2)}`,
        part.flatMap((r) => [r.topic, JSON.stringify(r.message)]),
      );
    }
  }

  /**
   * Publishes pending outbox rows in id order and deletes them, in one transaction with
   * SKIP LOCKED so that two instances never publish the same row twice.
   */
  async drainOutbox(publish: (rows: { topic: OutboxTopic; message: unknown }[]) => Promise<void>, limit = 2000): Promise<number> {
    return this.ds.transaction(async (m) => {
      const rows = await m.query<
        {
          id: string;
          topic: OutboxTopic;
          message: unknown;
        }[]
      >(`SELECT id, topic, message FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
      if (rows.length === 0) return 0;
      await publish(rows.map((r) => ({ topic: r.topic, message: r.message })));
      await m.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  async eraseUser(tenantId: string, userId: string): Promise<number> {
    // TypeORM answers a DELETE with [rows, affectedCount] on Postgres.
    const res = await this.ds.query<unknown>(`DELETE FROM session_viewer WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
    return Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0;
  }
}
