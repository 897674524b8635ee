import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ProfileState, StoredProfile } from '../domain';
import { rfmSegmentSql } from '../domain/segment-sql';

export interface ProfileKey {
  tenantId: string;
  userId: string;
}

export interface ProfileRowWrite extends StoredProfile {
  paidOrders: number;
  lastPaidMs: number | null;
  monetaryMinor: number;
  topCategory: string | null;
}

export interface SegmentMember {
  userId: string;
  version: number;
  paidOrders: number;
  lastPaidAt: string | null;
  monetaryMinor: number;
  topCategory: string | null;
}

export interface OutboxNotice {
  id: number;
  tenantId: string;
  userIds: string[];
  version: number;
}

interface ProfileRow {
  tenant_id: string;
  user_id: string;
  state: ProfileState | null;
  version: string;
}

/** TypeORM returns [rows, rowCount] for UPDATE/DELETE and rows otherwise. */
function rowsOf<T>(res: unknown): T[] {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return res as T[];
}

function toStored(r: ProfileRow): StoredProfile | null {
  if (!r.state) return null;
  return { tenantId: r.tenant_id, userId: r.user_id, version: Number(r.version), state: r.state };
}

/** The writes of one consumed batch, all inside one transaction. */
export class ProfileBatchTx {
  constructor(private readonly em: EntityManager) {}

  async upsertSessions(rows: { tenantId: string; sessionId: string; category: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.em.query(
      `INSERT INTO live_session (tenant_id, session_id, category)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (tenant_id, session_id) DO UPDATE SET category = EXCLUDED.category`,
      [rows.map((r) => r.tenantId), rows.map((r) => r.sessionId), rows.map((r) => r.category)],
    );
  }

  async sessionCategories(keys: { tenantId: string; sessionId: string }[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    const rows = rowsOf<{ tenant_id: string; session_id: string; category: string }>(
      await this.em.query(
        `SELECT tenant_id, session_id, category FROM live_session
         WHERE (tenant_id, session_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [keys.map((k) => k.tenantId), keys.map((k) => k.sessionId)],
      ),
    );
    for (const r of rows) out.set(`${r.tenant_id}\u0000${r.session_id}`, r.category);
    return out;
  }

  /** Records the event ids; returns the ones not seen before (`tenant\0eventId`). */
  async markProcessed(ids: { tenantId: string; eventId: string }[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    if (ids.length === 0) return fresh;
    const rows = rowsOf<{ tenant_id: string; event_id: string }>(
      await this.em.query(
        `INSERT INTO processed_event (tenant_id, event_id)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT DO NOTHING RETURNING tenant_id, event_id`,
        [ids.map((i) => i.tenantId), ids.map((i) => i.eventId)],
      ),
    );
    for (const r of rows) fresh.add(`${r.tenant_id}\u0000${r.event_id}`);
    return fresh;
  }

  /** Erasure tombstones of these (tenant, userHash) pairs: key `tenant\0hash` → erasedAtMs. */
  async erasedAt(keys: { tenantId: string; userHash: string }[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (keys.length === 0) return out;
    const rows = rowsOf<{ tenant_id: string; user_hash: string; erased_at_ms: string }>(
      await this.em.query(
        `SELECT tenant_id, user_hash, erased_at_ms FROM erased_user
         WHERE (tenant_id, user_hash) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [keys.map((k) => k.tenantId), keys.map((k) => k.userHash)],
      ),
    );
    for (const r of rows) out.set(`${r.tenant_id}\u0000${r.user_hash}`, Number(r.erased_at_ms));
    return out;
  }

  /**
   * Creates missing rows, then locks every row of the batch (in key order, so concurrent
   * batches over other partitions cannot deadlock or lose an update). Rows just created have no state.
   */
  async lockProfiles(keys: ProfileKey[]): Promise<Map<string, StoredProfile | null>> {
    const sorted = [...keys].sort((a, b) => (a.tenantId === b.tenantId ? (a.userId < b.userId ? -1 : 1) : a.tenantId < b.tenantId ? -1 : 1));
    const params = [sorted.map((k) => k.tenantId), sorted.map((k) => k.userId)];
    await this.em.query(
      `INSERT INTO profile (tenant_id, user_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      params,
    );
    const rows = rowsOf<ProfileRow>(
      await this.em.query(
        `SELECT tenant_id, user_id, state, version FROM profile
         WHERE (tenant_id, user_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         ORDER BY tenant_id, user_id FOR UPDATE`,
        params,
      ),
    );
    const out = new Map<string, StoredProfile | null>();
    for (const r of rows) out.set(`${r.tenant_id}\u0000${r.user_id}`, toStored(r));
    return out;
  }

  /** One multi-row UPDATE for every profile of the batch. */
  async saveProfiles(rows: ProfileRowWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await this.em.query(
      `UPDATE profile p SET state = u.state::jsonb, version = u.version, events_applied = u.events_applied,
         paid_orders = u.paid_orders, last_paid_ms = u.last_paid_ms, monetary_minor = u.monetary_minor,
         top_category = u.top_category, updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::int[], $7::bigint[], $8::bigint[], $9::text[])
         AS u(tenant_id, user_id, state, version, events_applied, paid_orders, last_paid_ms, monetary_minor, top_category)
       WHERE p.tenant_id = u.tenant_id AND p.user_id = u.user_id`,
      [
        rows.map((r) => r.tenantId),
        rows.map((r) => r.userId),
        rows.map((r) => JSON.stringify(r.state)),
        rows.map((r) => r.version),
        rows.map((r) => r.state.eventsApplied),
        rows.map((r) => r.paidOrders),
        rows.map((r) => r.lastPaidMs),
        rows.map((r) => r.monetaryMinor),
        rows.map((r) => r.topCategory),
      ],
    );
  }

  /** Queues `profile.updated` notices in the batch transaction; returns them with their ids. */
  async enqueueNotices(notices: Omit<OutboxNotice, 'id'>[]): Promise<OutboxNotice[]> {
    if (notices.length === 0) return [];
    const rows = rowsOf<{ id: string; tenant_id: string; user_ids: string[]; version: string }>(
      await this.em.query(
        `INSERT INTO profile_outbox (tenant_id, user_ids, version)
         SELECT t, u::jsonb, v FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(t, u, v)
         RETURNING id, tenant_id, user_ids, version`,
        [notices.map((n) => n.tenantId), notices.map((n) => JSON.stringify(n.userIds)), notices.map((n) => n.version)],
      ),
    );
    return rows.map((r) => ({ id: Number(r.id), tenantId: r.tenant_id, userIds: r.user_ids, version: Number(r.version) }));
  }
}

/** Postgres access of the profile context: the source of truth. Every query is tenant-scoped. */
@Injectable()
export class ProfileRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  inBatchTransaction<T>(work: (tx: ProfileBatchTx) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) => work(new ProfileBatchTx(em)));
  }

  async find(tenantId: string, userId: string): Promise<StoredProfile | null> {
    const rows = rowsOf<ProfileRow>(
      await this.ds.query(`SELECT tenant_id, user_id, state, version FROM profile WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]),
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  async findWeights(tenantId: string): Promise<unknown> {
    const rows = rowsOf<{ weights: unknown }>(await this.ds.query(`SELECT weights FROM score_weights WHERE tenant_id = $1`, [tenantId]));
    return rows[0]?.weights ?? null;
  }

  async saveWeights(tenantId: string, weights: unknown): Promise<void> {
    await this.ds.query(
      `INSERT INTO score_weights (tenant_id, weights, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (tenant_id) DO UPDATE SET weights = EXCLUDED.weights, updated_at = now()`,
      [tenantId, JSON.stringify(weights)],
    );
  }

  /** Sizes of every RFM segment and interest cohort of a tenant at `asOfMs`. */
  async segmentSizes(tenantId: string, asOfMs: number): Promise<{ rfm: Map<string, number>; interest: Map<string, number>; total: number }> {
    const rfmRows = rowsOf<{ segment: string; size: string }>(
      await this.ds.query(
        `SELECT ${rfmSegmentSql('$2')} AS segment, count(*) AS size FROM profile
         WHERE tenant_id = $1 AND state IS NOT NULL GROUP BY 1`,
        [tenantId, asOfMs],
      ),
    );
    const interestRows = rowsOf<{ category: string; size: string }>(
      await this.ds.query(
        `SELECT top_category AS category, count(*) AS size FROM profile
         WHERE tenant_id = $1 AND state IS NOT NULL AND top_category IS NOT NULL GROUP BY 1`,
        [tenantId],
      ),
    );
    const rfm = new Map(rfmRows.map((r) => [r.segment, Number(r.size)]));
    return {
      rfm,
      interest: new Map(interestRows.map((r) => [r.category, Number(r.size)])),
      total: [...rfm.values()].reduce((a, b) => a + b, 0),
    };
  }

  /** Members of a segment, keyset-paged by user id (`after` exclusive). */
  async segmentMembers(
    tenantId: string,
    segment: { kind: 'rfm' | 'interest'; name: string },
    asOfMs: number,
    after: string | null,
    limit: number,
  ): Promise<SegmentMember[]> {
    // every parameter must appear in the text, or Postgres cannot type $2 and the query fails (interest segments answered 500)
    const filter = segment.kind === 'rfm' ? `${rfmSegmentSql('$2')} = $3` : `top_category = $3 AND $2::bigint IS NOT NULL`;
    const rows = rowsOf<{ user_id: string; version: string; paid_orders: number; last_paid_ms: string | null; monetary_minor: string; top_category: string | null }>(
      await this.ds.query(
        `SELECT user_id, version, paid_orders, last_paid_ms, monetary_minor, top_category FROM profile
         WHERE tenant_id = $1 AND state IS NOT NULL AND ${filter} AND ($4::text IS NULL OR user_id > $4::text)
         ORDER BY user_id LIMIT $5`,
        [tenantId, asOfMs, segment.name, after, limit],
      ),
    );
    return rows.map((r) => ({
      userId: r.user_id,
      version: Number(r.version),
      paidOrders: r.paid_orders,
      lastPaidAt: r.last_paid_ms === null ? null : new Date(Number(r.last_paid_ms)).toISOString(),
      monetaryMinor: Number(r.monetary_minor),
      topCategory: r.top_category,
    }));
  }

  async deleteNotices(ids: number[]): Promise<void> {
    if (ids.length) await this.ds.query(`DELETE FROM profile_outbox WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /**
   * Hands notices older than `olderThan` to `publish` and deletes them once it resolved, in one
   * transaction (SKIP LOCKED: instances never publish the same row concurrently). Returns how many.
   */
  async relayNotices(olderThan: Date, limit: number, publish: (notices: OutboxNotice[]) => Promise<void>): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows = rowsOf<{ id: string; tenant_id: string; user_ids: string[]; version: string }>(
        await em.query(
          `SELECT id, tenant_id, user_ids, version FROM profile_outbox WHERE created_at < $1
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [olderThan, limit],
        ),
      );
      if (rows.length === 0) return 0;
      await publish(rows.map((r) => ({ id: Number(r.id), tenantId: r.tenant_id, userIds: r.user_ids, version: Number(r.version) })));
      await em.query(`DELETE FROM profile_outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Deletes the user's profile (and its id from queued notices) and leaves a tombstone (hash only) in one transaction. */
  async erase(tenantId: string, userId: string, userHash: string, erasedAtMs: number): Promise<number> {
    return this.ds.transaction(async (em) => {
      const deleted = rowsOf<{ user_id: string }>(
        await em.query(`DELETE FROM profile WHERE tenant_id = $1 AND user_id = $2 RETURNING user_id`, [tenantId, userId]),
      );
      await em.query(
        `UPDATE profile_outbox SET user_ids = user_ids - $2::text WHERE tenant_id = $1 AND user_ids @> jsonb_build_array($2::text)`,
        [tenantId, userId],
      );
      await em.query(
        `INSERT INTO erased_user (tenant_id, user_hash, erased_at_ms) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, user_hash) DO UPDATE SET erased_at_ms = GREATEST(erased_user.erased_at_ms, EXCLUDED.erased_at_ms)`,
        [tenantId, userHash, erasedAtMs],
      );
      return deleted.length;
    });
  }

  /** Forgets processed event ids older than the topic retention (redelivery beyond it is impossible). */
  async pruneProcessed(olderThan: Date): Promise<void> {
    await this.ds.query(`DELETE FROM processed_event WHERE processed_at < $1`, [olderThan]);
  }
}
