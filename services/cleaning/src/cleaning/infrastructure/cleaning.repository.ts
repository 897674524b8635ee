import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { placeholders } from '@livepromo/persistence';

export interface DeadLetterRow {
  deadLetterId: string;
  tenantId: string | null;
  reason: string;
  message: string;
  eventId: string | null;
  eventType: string | null;
  userId: string | null;
  originalTopic: string;
  originalPartition: number | null;
  originalOffset: string | null;
  originalBase64: string;
  details: unknown;
  createdAt: string;
}

export interface StoredDeadLetter extends DeadLetterRow {
  replayedAt: string | null;
}

export interface StreamOutcomeRow {
  partition: number;
  offset: string;
  tenantId: string;
  streamId: string;
  /** `clean`, `duplicate`, `dead_lettered:<reason>` or `discarded:<reason>`. */
  outcome: string;
}

export interface DiscardRow {
  partition: number;
  offset: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  reason: string;
  signal: string | null;
  liveSessionId: string | null;
  userId: string | null;
  occurredAt: string;
}

export interface SessionBotTotals {
  tenantId: string;
  liveSessionId: string;
  events: number;
  users: number;
  bySignal: Record<string, number>;
  byType: Record<string, number>;
}

export interface ReasonCount {
  reason: string;
  outcome: 'dead_lettered' | 'discarded';
  count: number;
}

type Row = Record<string, unknown>;

const valuesClause = placeholders;

const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : new Date(v as string | number).toISOString();

function toStored(r: Row): StoredDeadLetter {
  return {
    deadLetterId: String(r.dead_letter_id),
    tenantId: (r.tenant_id as string | null) ?? null,
    reason: String(r.reason),
    message: String(r.message),
    eventId: (r.event_id as string | null) ?? null,
    eventType: (r.event_type as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    originalTopic: String(r.original_topic),
    originalPartition: r.original_partition === null ? null : Number(r.original_partition),
    originalOffset: (r.original_offset as string | null) ?? null,
    originalBase64: String(r.original_base64),
    details: r.details ?? null,
    createdAt: iso(r.created_at) ?? '',
    replayedAt: iso(r.replayed_at),
  };
}

/** Cleaning's Postgres access: multi-row, idempotent writes; every read scoped by tenant. */
@Injectable()
export class CleaningRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * Dead letters and counted discards of one batch in one statement (one round trip, one commit).
   * Idempotent: dead letters by id and by original position, discards by (partition, offset),
   * so a redelivered message adds nothing.
   */
  async recordOutcomes(letters: readonly DeadLetterRow[], discards: readonly DiscardRow[]): Promise<void> {
    const LIMIT = 1000;
    for (let i = 0; i < Math.max(letters.length, discards.length); i += LIMIT) {
      const l = letters.slice(i, i + LIMIT);
      const d = discards.slice(i, i + LIMIT);
      const params: unknown[] = [];
      const parts: string[] = [];
      if (l.length) {
        const at = params.length;
        for (const r of l) {
          params.push(
            r.deadLetterId,
            r.tenantId,
            r.reason,
            r.message,
            r.eventId,
            r.eventType,
            r.userId,
            r.originalTopic,
            r.originalPartition,
            r.originalOffset,
            r.originalBase64,
            r.details === undefined ? null : JSON.stringify(r.details),
            r.createdAt,
          );
        }
        parts.push(`l AS (INSERT INTO dead_letter (dead_letter_id, tenant_id, reason, message, event_id, event_type, user_id, original_topic,
           original_partition, original_offset, original_base64, details, created_at)
         VALUES ${valuesClause(l.length, 13, at)} ON CONFLICT DO NOTHING RETURNING 1)`);
      }
      if (d.length) {
        const at = params.length;
        for (const r of d)
          params.push(
            r.partition,
            r.offset,
            r.tenantId,
            r.eventId,
            r.eventType,
            r.reason,
            r.signal,
            r.liveSessionId,
            r.userId,
            r.occurredAt,
          );
        parts.push(`d AS (INSERT INTO discarded_event (src_partition, src_offset, tenant_id, event_id, event_type, reason, signal, live_session_id, user_id, occurred_at)
         VALUES ${valuesClause(d.length, 10, at)} ON CONFLICT DO NOTHING RETURNING 1)`);
      }
      if (parts.length === 0) continue;
      const selects = [l.length ? '(SELECT count(*) FROM l)' : '0', d.length ? '(SELECT count(*) FROM d)' : '0'];
      await this.ds.query(`WITH ${parts.join(', ')} SELECT ${selects.join(', ')}`, params);
    }
  }

  insertDeadLetters(rows: readonly DeadLetterRow[]): Promise<void> {
    return this.recordOutcomes(rows, []);
  }

  /** Positions (`partition:offset`) among `positions` that already have a recorded discard. */
  async recordedDiscards(positions: readonly { partition: number; offset: string }[]): Promise<Set<string>> {
    if (positions.length === 0) return new Set();
    const rows = await this.ds.query<Row[]>(
      `SELECT src_partition, src_offset FROM discarded_event WHERE (src_partition, src_offset) IN (${positions
        .map((_, i) => `($${2 * i + 1}::int, $${2 * i + 2}::bigint)`)
        .join(',')})`,
      positions.flatMap((p) => [p.partition, p.offset]),
    );
    return new Set(rows.map((r) => `${String(r.src_partition)}:${String(r.src_offset)}`));
  }

  async rejectionCounts(tenantId: string, from: string, to: string): Promise<ReasonCount[]> {
    const [dl, dc] = await Promise.all([
      this.ds.query<Row[]>(
        `SELECT reason, count(*)::int AS n FROM dead_letter WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY reason`,
        [tenantId, from, to],
      ),
      this.ds.query<Row[]>(
        `SELECT reason, count(*)::int AS n FROM discarded_event WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY reason`,
        [tenantId, from, to],
      ),
    ]);
    return [
      ...dl.map((r) => ({ reason: String(r.reason), outcome: 'dead_lettered' as const, count: Number(r.n) })),
      ...dc.map((r) => ({ reason: String(r.reason), outcome: 'discarded' as const, count: Number(r.n) })),
    ].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }

  async botTraffic(tenantId: string, liveSessionId: string): Promise<{ signal: string; count: number; users: number }[]> {
    const rows = await this.ds.query<Row[]>(
      `SELECT signal, count(*)::int AS n, count(DISTINCT user_id)::int AS u FROM discarded_event
       WHERE tenant_id = $1 AND live_session_id = $2 AND reason = 'bot_traffic' GROUP BY signal ORDER BY signal`,
      [tenantId, liveSessionId],
    );
    return rows.map((r) => ({ signal: String(r.signal), count: Number(r.n), users: Number(r.u) }));
  }

  /**
   * Cumulative bot traffic of the given live sessions, as recorded so far (what `session.bot_traffic.counted`
   * carries): events, distinct users, and counts by signal and by event type. One query (GROUPING SETS).
   */
  async botTotals(sessions: readonly { tenantId: string; liveSessionId: string }[]): Promise<SessionBotTotals[]> {
    if (sessions.length === 0) return [];
    const rows = await this.ds.query<Row[]>(
      `SELECT tenant_id, live_session_id, signal, event_type,
              GROUPING(signal)::int AS g_signal, GROUPING(event_type)::int AS g_type,
              count(*)::int AS n, count(DISTINCT user_id)::int AS u
       FROM discarded_event
       WHERE reason = 'bot_traffic'
         AND (tenant_id, live_session_id) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))
       GROUP BY GROUPING SETS ((tenant_id, live_session_id), (tenant_id, live_session_id, signal), (tenant_id, live_session_id, event_type))`,
      [sessions.map((s) => s.tenantId), sessions.map((s) => s.liveSessionId)],
    );
    const out = new Map<string, SessionBotTotals>();
    for (const r of rows) {
      const key = `${String(r.tenant_id)}\u0000${String(r.live_session_id)}`;
      let t = out.get(key);
      if (!t)
        out.set(
          key,
          (t = { tenantId: String(r.tenant_id), liveSessionId: String(r.live_session_id), events: 0, users: 0, bySignal: {}, byType: {} }),
        );
      const gSignal = Number(r.g_signal);
      const gType = Number(r.g_type);
      if (gSignal === 1 && gType === 1) {
        t.events = Number(r.n);
        t.users = Number(r.u);
      } else if (gSignal === 0) t.bySignal[String(r.signal)] = Number(r.n);
      else t.byType[String(r.event_type)] = Number(r.n);
    }
    return [...out.values()];
  }

  /** Outcomes of backfill-stream messages (one row per message position; a redelivery writes nothing twice). */
  async recordStreamOutcomes(rows: readonly StreamOutcomeRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.ds.query(
      `INSERT INTO stream_outcome (src_partition, src_offset, tenant_id, stream_id, outcome)
       SELECT * FROM unnest($1::int[], $2::bigint[], $3::varchar[], $4::varchar[], $5::varchar[])
       ON CONFLICT (src_partition, src_offset) DO NOTHING`,
      [
        rows.map((r) => r.partition),
        rows.map((r) => r.offset),
        rows.map((r) => r.tenantId),
        rows.map((r) => r.streamId),
        rows.map((r) => r.outcome),
      ],
    );
  }

  /** Cumulative outcome counts of the given streams, as recorded so far. */
  async streamTotals(
    streams: readonly { tenantId: string; streamId: string }[],
  ): Promise<{ tenantId: string; streamId: string; outcome: string; n: number }[]> {
    if (streams.length === 0) return [];
    const rows = await this.ds.query<Row[]>(
      `SELECT tenant_id, stream_id, outcome, count(*)::int AS n FROM stream_outcome
       WHERE (tenant_id, stream_id) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))
       GROUP BY tenant_id, stream_id, outcome`,
      [streams.map((s) => s.tenantId), streams.map((s) => s.streamId)],
    );
    return rows.map((r) => ({ tenantId: String(r.tenant_id), streamId: String(r.stream_id), outcome: String(r.outcome), n: Number(r.n) }));
  }

  async listDeadLetters(
    tenantId: string,
    q: { reason?: string; from?: string; to?: string; limit: number; before?: [string, string]; includeReplayed: boolean },
  ): Promise<StoredDeadLetter[]> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    if (q.reason) where.push(`reason = $${params.push(q.reason)}`);
    if (q.from) where.push(`created_at >= $${params.push(q.from)}`);
    if (q.to) where.push(`created_at < $${params.push(q.to)}`);
    if (q.before) {
      const [at, id] = q.before;
      where.push(`(created_at, dead_letter_id) < ($${params.push(at)}::timestamptz, $${params.push(id)})`);
    }
    if (!q.includeReplayed) where.push('replayed_at IS NULL');
    const rows = await this.ds.query<Row[]>(
      `SELECT * FROM dead_letter WHERE ${where.join(' AND ')} ORDER BY created_at DESC, dead_letter_id DESC LIMIT $${params.push(q.limit)}`,
      params,
    );
    return rows.map(toStored);
  }

  async getDeadLetters(tenantId: string, ids: readonly string[]): Promise<StoredDeadLetter[]> {
    if (ids.length === 0) return [];
    const rows = await this.ds.query<Row[]>(`SELECT * FROM dead_letter WHERE tenant_id = $1 AND dead_letter_id = ANY($2::varchar[])`, [
      tenantId,
      ids,
    ]);
    return rows.map(toStored);
  }

  /**
   * Marks letters replayed that were not yet (atomically: concurrent replays of the same letter cannot
   * both win) and returns the ids this call claimed.
   */
  async claimForReplay(tenantId: string, ids: readonly string[], at: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const raw = await this.ds.query<unknown[]>(
      `UPDATE dead_letter SET replayed_at = $3 WHERE tenant_id = $1 AND dead_letter_id = ANY($2::varchar[]) AND replayed_at IS NULL RETURNING dead_letter_id`,
      [tenantId, ids, at],
    );
    // TypeORM's postgres driver answers an UPDATE ... RETURNING with [rows, affectedCount]
    const rows = (Array.isArray(raw[0]) ? raw[0] : raw) as { dead_letter_id: string }[];
    return rows.map((r) => r.dead_letter_id);
  }

  /** Undoes a claim whose publish failed, so the letter can be replayed again. */
  async unclaimReplay(tenantId: string, ids: readonly string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.query(`UPDATE dead_letter SET replayed_at = NULL WHERE tenant_id = $1 AND dead_letter_id = ANY($2::varchar[]) AND replayed_at = $3`, [tenantId, ids, at]);
  }

  async markReplayed(tenantId: string, ids: readonly string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.query(`UPDATE dead_letter SET replayed_at = $3 WHERE tenant_id = $1 AND dead_letter_id = ANY($2::varchar[])`, [
      tenantId,
      ids,
      at,
    ]);
  }

  async listTestAccounts(tenantId?: string): Promise<{ tenantId: string; userId: string }[]> {
    const rows = await (tenantId
      ? this.ds.query<Row[]>(`SELECT tenant_id, user_id FROM test_account WHERE tenant_id = $1 ORDER BY user_id`, [tenantId])
      : this.ds.query<Row[]>(`SELECT tenant_id, user_id FROM test_account`));
    return rows.map((r) => ({ tenantId: String(r.tenant_id), userId: String(r.user_id) }));
  }

  async addTestAccounts(tenantId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.ds.query(
      `INSERT INTO test_account (tenant_id, user_id) SELECT $1, u FROM unnest($2::varchar[]) AS u ON CONFLICT DO NOTHING`,
      [tenantId, userIds],
    );
  }

  async removeTestAccount(tenantId: string, userId: string): Promise<boolean> {
    const r = await this.ds.query<unknown>(`DELETE FROM test_account WHERE tenant_id = $1 AND user_id = $2 RETURNING user_id`, [
      tenantId,
      userId,
    ]);
    const rows = Array.isArray(r) && Array.isArray(r[0]) ? (r[0] as unknown[]) : (r as unknown[]);
    return rows.length > 0;
  }

  /**
   * Erasure tombstone (tenant, sha256 of tenant ␀ user, erasedAt): idempotent, a repeated or out-of-order
   * erasure keeps the latest erasedAt.
   */
  async recordErasure(tenantId: string, userHash: string, erasedAt: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO erased_user (tenant_id, user_hash, erased_at) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, user_hash) DO UPDATE SET erased_at = GREATEST(erased_user.erased_at, EXCLUDED.erased_at)`,
      [tenantId, userHash, erasedAt],
    );
  }

  /** Every erasure tombstone (loaded into memory by ErasedUserDirectory). */
  async listErasures(): Promise<{ tenantId: string; userHash: string; erasedAtMs: number }[]> {
    const rows = await this.ds.query<Row[]>(`SELECT tenant_id, user_hash, erased_at FROM erased_user`);
    return rows.map((r) => ({ tenantId: String(r.tenant_id), userHash: String(r.user_hash).trim(), erasedAtMs: new Date(r.erased_at as string | Date).getTime() }));
  }

  /** Erasure: every row about this user of this tenant. */
  async eraseUser(tenantId: string, userId: string): Promise<void> {
    await this.ds.query(`DELETE FROM discarded_event WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
    await this.ds.query(`DELETE FROM dead_letter WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
    await this.ds.query(`DELETE FROM test_account WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
  }
}
