import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FunnelDraft, LedgerDraft, RateRuleDraft } from '../domain/ledger-entry';

/** TypeORM returns [rows, rowCount] for UPDATE/DELETE and rows otherwise. */
export function rowsOf<T>(res: unknown): T[] {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return res as T[];
}

export interface BatchWrite {
  ledger: LedgerDraft[];
  funnel: FunnelDraft[];
  rules: RateRuleDraft[];
}

export interface BatchWriteResult {
  ledgerInserted: number;
  funnelInserted: number;
  rulesInserted: number;
  reattributed: number;
  derivedRows: number;
  /** Sessions whose revenue changed through late attribution (tenant → session ids). */
  reattributedSessions: Map<string, Set<string>>;
}

export const userHash = (tenantId: string, userId: string): string =>
  createHash('sha256').update(`${tenantId}\u0000${userId}`).digest('hex');

const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

/**
 * Writes of the ledger, in one transaction per consumed batch, serialised per tenant by an advisory lock
 * (so late attribution and commission materialisation see every committed row of the tenant).
 */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async applyBatch(w: BatchWrite, attributionWindowSec: number): Promise<BatchWriteResult> {
    return this.ds.transaction(async (em) => {
      const tenants = uniq([...w.ledger, ...w.funnel, ...w.rules].map((r) => r.tenantId)).sort();
      for (const t of tenants) await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`roi.ledger:${t}`]);
      await this.pseudonymise(em, w);
      const funnelInserted = await this.insertFunnel(em, w.funnel);
      const newRules = await this.insertRules(em, w.rules);
      const newLedger = await this.insertLedger(em, w.ledger);
      const result: BatchWriteResult = {
        ledgerInserted: newLedger.length,
        funnelInserted,
        rulesInserted: newRules.length,
        reattributed: 0,
        derivedRows: 0,
        reattributedSessions: new Map(),
      };
      for (const t of tenants) {
        const users = uniq([
          ...w.funnel.filter((f) => f.tenantId === t && f.kind === 'room_entry' && f.userId).map((f) => f.userId!),
          ...w.ledger
            .filter((l) => l.tenantId === t && l.kind === 'revenue' && l.attribution !== 'direct' && l.userId)
            .map((l) => l.userId!),
        ]);
        const moved = users.length ? await this.reattribute(em, t, users, attributionWindowSec) : [];
        result.reattributed += moved.filter((m) => m.kind === 'revenue').length;
        const sessions = new Set<string>();
        for (const m of moved) if (m.session_id) sessions.add(m.session_id);
        if (sessions.size) result.reattributedSessions.set(t, sessions);
        const fresh = newLedger.filter((r) => r.tenant_id === t);
        const orders = uniq([...fresh, ...moved].map((r) => r.order_id).filter((o): o is string => !!o));
        const refunds = orders.length ? await this.propagateToRefunds(em, t, orders) : [];
        const sources = uniq([
          ...fresh.filter((r) => r.kind === 'revenue' || r.kind === 'refund').map((r) => r.event_id),
          ...moved.filter((m) => m.kind === 'revenue').map((m) => m.event_id),
          ...refunds,
        ]);
        const rules = newRules.filter((r) => r.tenant_id === t).map((r) => r.event_id);
        if (sources.length || rules.length) result.derivedRows += await this.materialiseRates(em, t, sources, rules);
      }
      return result;
    });
  }

  /** Replaces erased users' ids by their pseudonym before anything is written. */
  private async pseudonymise(em: EntityManager, w: BatchWrite): Promise<void> {
    const pairs = new Map<string, { tenantId: string; hash: string }>();
    for (const r of [...w.ledger, ...w.funnel])
      if (r.userId) pairs.set(`${r.tenantId}\u0000${r.userId}`, { tenantId: r.tenantId, hash: userHash(r.tenantId, r.userId) });
    if (pairs.size === 0) return;
    const list = [...pairs.values()];
    const rows = rowsOf<{ tenant_id: string; user_hash: string; pseudonym: string }>(
      await em.query(
        `SELECT tenant_id, user_hash, pseudonym FROM erased_user WHERE (tenant_id, user_hash) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [list.map((p) => p.tenantId), list.map((p) => p.hash)],
      ),
    );
    if (rows.length === 0) return;
    const byHash = new Map(rows.map((r) => [`${r.tenant_id}\u0000${r.user_hash}`, r.pseudonym]));
    for (const r of [...w.ledger, ...w.funnel]) {
      if (!r.userId) continue;
      const p = byHash.get(`${r.tenantId}\u0000${userHash(r.tenantId, r.userId)}`);
      if (p) r.userId = p;
    }
  }

  private async insertFunnel(em: EntityManager, rows: FunnelDraft[]): Promise<number> {
    if (rows.length === 0) return 0;
    const res = rowsOf<{ event_id: string }>(
      await em.query(
        `INSERT INTO funnel_fact (tenant_id, event_id, kind, occurred_at, day, user_id, session_id, streamer_id, course_id, channel, qty, order_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::text[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [
          rows.map((r) => r.tenantId),
          rows.map((r) => r.eventId),
          rows.map((r) => r.kind),
          rows.map((r) => r.occurredAt),
          rows.map((r) => r.day),
          rows.map((r) => r.userId),
          rows.map((r) => r.sessionId),
          rows.map((r) => r.streamerId),
          rows.map((r) => r.courseId),
          rows.map((r) => r.channel),
          rows.map((r) => String(r.qty)),
          rows.map((r) => r.orderId),
        ],
      ),
    );
    return res.length;
  }

  private async insertRules(em: EntityManager, rows: RateRuleDraft[]): Promise<{ tenant_id: string; event_id: string }[]> {
    if (rows.length === 0) return [];
    return rowsOf(
      await em.query(
        `INSERT INTO rate_rule (tenant_id, event_id, kind, rate, order_id, session_id, streamer_id, occurred_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         ON CONFLICT DO NOTHING RETURNING tenant_id, event_id`,
        [
          rows.map((r) => r.tenantId),
          rows.map((r) => r.eventId),
          rows.map((r) => r.kind),
          rows.map((r) => r.rate),
          rows.map((r) => r.orderId),
          rows.map((r) => r.sessionId),
          rows.map((r) => r.streamerId),
          rows.map((r) => r.occurredAt),
        ],
      ),
    );
  }

  private async insertLedger(
    em: EntityManager,
    rows: LedgerDraft[],
  ): Promise<{ tenant_id: string; event_id: string; kind: string; order_id: string | null }[]> {
    if (rows.length === 0) return [];
    return rowsOf(
      await em.query(
        `INSERT INTO ledger_entry (tenant_id, event_id, kind, occurred_at, day, user_id, session_id, streamer_id, course_id, channel, order_id,
           event_session_id, event_streamer_id, attribution, amount_minor, currency, window_ends_at, source_event_id)
         SELECT u.*, u.event_id FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[],
           $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[], $16::text[], $17::timestamptz[])
           AS u(tenant_id, event_id, kind, occurred_at, day, user_id, session_id, streamer_id, course_id, channel, order_id,
                event_session_id, event_streamer_id, attribution, amount_minor, currency, window_ends_at)
         ON CONFLICT DO NOTHING RETURNING tenant_id, event_id, kind, order_id`,
        [
          rows.map((r) => r.tenantId),
          rows.map((r) => r.eventId),
          rows.map((r) => r.kind),
          rows.map((r) => r.occurredAt),
          rows.map((r) => r.day),
          rows.map((r) => r.userId),
          rows.map((r) => r.sessionId),
          rows.map((r) => r.streamerId),
          rows.map((r) => r.courseId),
          rows.map((r) => r.channel),
          rows.map((r) => r.orderId),
          rows.map((r) => r.sessionId),
          rows.map((r) => r.streamerId),
          rows.map((r) => r.attribution),
          rows.map((r) => String(r.amountMinor)),
          rows.map((r) => r.currency),
          rows.map((r) => r.windowEndsAt),
        ],
      ),
    );
  }

  /**
   * Attribution window: a paid order that does not name its live session is credited to the last
   * room the same user entered within the window before paying ('window' = influenced revenue).
   * Re-evaluated whenever that user's room entries or orders arrive, so arrival order does not matter.
   */
  private async reattribute(
    em: EntityManager,
    tenantId: string,
    users: string[],
    windowSec: number,
  ): Promise<{ event_id: string; kind: string; order_id: string | null; session_id: string | null }[]> {
    return rowsOf(
      await em.query(
        `WITH cand AS (
           SELECT l.event_id, e.session_id AS new_session, e.streamer_id AS entry_streamer
           FROM ledger_entry l
           LEFT JOIN LATERAL (
             SELECT f.session_id, f.streamer_id FROM funnel_fact f
             WHERE f.tenant_id = l.tenant_id AND f.kind = 'room_entry' AND f.user_id = l.user_id
               AND f.occurred_at <= l.occurred_at AND f.occurred_at > l.occurred_at - make_interval(secs => $3::float8)
             ORDER BY f.occurred_at DESC, f.event_id DESC LIMIT 1) e ON true
           WHERE l.tenant_id = $1 AND l.kind = 'revenue' AND l.event_session_id IS NULL AND l.user_id = ANY($2::text[]))
         UPDATE ledger_entry u SET session_id = c.new_session,
           streamer_id = COALESCE(u.event_streamer_id, c.entry_streamer),
           attribution = CASE WHEN c.new_session IS NULL THEN 'none' ELSE 'window' END
         FROM cand c
         WHERE u.tenant_id = $1 AND u.event_id = c.event_id AND u.kind IN ('revenue', 'coupon')
           AND (u.session_id IS DISTINCT FROM c.new_session OR u.streamer_id IS DISTINCT FROM COALESCE(u.event_streamer_id, c.entry_streamer))
         RETURNING u.event_id, u.kind, u.order_id, u.session_id`,
        [tenantId, users, windowSec],
      ),
    );
  }

  /** A refund carries its order's attribution (session, streamer, course, channel). */
  private async propagateToRefunds(em: EntityManager, tenantId: string, orders: string[]): Promise<string[]> {
    const rows = rowsOf<{ event_id: string }>(
      await em.query(
        `UPDATE ledger_entry f SET session_id = r.session_id, streamer_id = r.streamer_id, course_id = COALESCE(r.course_id, f.course_id),
           channel = r.channel, attribution = r.attribution
         FROM ledger_entry r
         WHERE f.tenant_id = $1 AND f.kind = 'refund' AND f.order_id = ANY($2::text[])
           AND r.tenant_id = $1 AND r.kind = 'revenue' AND r.order_id = f.order_id
         RETURNING f.event_id`,
        [tenantId, orders],
      ),
    );
    return rows.map((r) => r.event_id);
  }

  /**
   * Commission and rate-based platform fees: one derived row per (rule, revenue/refund row in its scope),
   * amount = round(rate × amount) half away from zero, so refunds claw the cost back. Derived rows of the
   * touched sources are recomputed (their attribution may have moved); keys are deterministic, so replays change nothing.
   */
  private async materialiseRates(em: EntityManager, tenantId: string, sources: string[], rules: string[]): Promise<number> {
    if (sources.length) {
      await em.query(`DELETE FROM ledger_entry WHERE tenant_id = $1 AND rule_event_id IS NOT NULL AND source_event_id = ANY($2::text[])`, [
        tenantId,
        sources,
      ]);
    }
    const rows = rowsOf<{ event_id: string }>(
      await em.query(
        `INSERT INTO ledger_entry (tenant_id, event_id, kind, occurred_at, day, user_id, session_id, streamer_id, course_id, channel, order_id,
           event_session_id, event_streamer_id, attribution, amount_minor, currency, window_ends_at, source_event_id, rule_event_id)
         SELECT s.tenant_id, r.event_id || '>' || s.event_id, r.kind, s.occurred_at, s.day, s.user_id, s.session_id, s.streamer_id, s.course_id,
           s.channel, s.order_id, s.event_session_id, s.event_streamer_id, s.attribution,
           round(s.amount_minor::numeric * r.rate::numeric)::bigint, s.currency, NULL, s.event_id, r.event_id
         FROM rate_rule r JOIN ledger_entry s ON s.tenant_id = r.tenant_id AND s.kind IN ('revenue', 'refund')
           AND CASE WHEN r.order_id IS NOT NULL THEN s.order_id = r.order_id
                    WHEN r.session_id IS NOT NULL THEN s.session_id = r.session_id
                    WHEN r.streamer_id IS NOT NULL THEN s.streamer_id = r.streamer_id
                    ELSE true END
         WHERE r.tenant_id = $1 AND (s.event_id = ANY($2::text[]) OR r.event_id = ANY($3::text[]))
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [tenantId, sources, rules],
      ),
    );
    return rows.length;
  }

  /**
   * Erasure: the user's id in ledger rows and funnel facts is replaced by a random pseudonym (money totals
   * and distinct-user counts stay exact; the id cannot be recovered). A tombstone keyed by sha256(tenant, user)
   * makes late events of that user take the same pseudonym. Idempotent.
   */
  async eraseUser(tenantId: string, userId: string): Promise<{ ledgerRows: number; funnelRows: number }> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`roi.ledger:${tenantId}`]);
      const hash = userHash(tenantId, userId);
      await em.query(`INSERT INTO erased_user (tenant_id, user_hash, pseudonym) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        tenantId,
        hash,
        `erased:${randomUUID()}`,
      ]);
      const [{ pseudonym }] = rowsOf<{ pseudonym: string }>(
        await em.query(`SELECT pseudonym FROM erased_user WHERE tenant_id = $1 AND user_hash = $2`, [tenantId, hash]),
      );
      const l = rowsOf<{ n: number }>(
        await em.query(
          `WITH u AS (UPDATE ledger_entry SET user_id = $3 WHERE tenant_id = $1 AND user_id = $2 RETURNING 1) SELECT count(*)::int AS n FROM u`,
          [tenantId, userId, pseudonym],
        ),
      );
      const f = rowsOf<{ n: number }>(
        await em.query(
          `WITH u AS (UPDATE funnel_fact SET user_id = $3 WHERE tenant_id = $1 AND user_id = $2 RETURNING 1) SELECT count(*)::int AS n FROM u`,
          [tenantId, userId, pseudonym],
        ),
      );
      return { ledgerRows: l[0].n, funnelRows: f[0].n };
    });
  }
}
