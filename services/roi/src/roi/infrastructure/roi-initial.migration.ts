import { MigrationInterface, QueryRunner } from 'typeorm';

/** Initial schema (plain SQL: runs on Postgres and PGlite). Tables live in the service's own schema. */
export class RoiInitial1764310000000 implements MigrationInterface {
  name = 'RoiInitial1764310000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per money movement. Idempotent by (tenant, eventId, kind): replays hit ON CONFLICT DO NOTHING.
    await q.query(`CREATE TABLE ledger_entry (
      tenant_id text NOT NULL,
      event_id text NOT NULL,
      kind text NOT NULL,
      occurred_at timestamptz NOT NULL,
      day date NOT NULL,
      user_id text,
      session_id text,
      streamer_id text,
      course_id text,
      channel text,
      order_id text,
      event_session_id text,
      event_streamer_id text,
      attribution text NOT NULL,
      amount_minor bigint NOT NULL,
      currency text NOT NULL,
      window_ends_at timestamptz,
      source_event_id text,
      rule_event_id text,
      PRIMARY KEY (tenant_id, event_id, kind))`);
    await q.query(`CREATE INDEX ledger_entry_tenant_time ON ledger_entry (tenant_id, occurred_at)`);
    await q.query(`CREATE INDEX ledger_entry_tenant_order ON ledger_entry (tenant_id, order_id)`);
    await q.query(`CREATE INDEX ledger_entry_tenant_user ON ledger_entry (tenant_id, user_id)`);
    await q.query(`CREATE INDEX ledger_entry_tenant_session ON ledger_entry (tenant_id, session_id)`);
    await q.query(`CREATE INDEX ledger_entry_tenant_source ON ledger_entry (tenant_id, source_event_id)`);
    // Counted facts for the funnel and the factor analysis.
    await q.query(`CREATE TABLE funnel_fact (
      tenant_id text NOT NULL,
      event_id text NOT NULL,
      kind text NOT NULL,
      occurred_at timestamptz NOT NULL,
      day date NOT NULL,
      user_id text,
      session_id text,
      streamer_id text,
      course_id text,
      channel text,
      qty bigint NOT NULL,
      PRIMARY KEY (tenant_id, event_id))`);
    await q.query(`CREATE INDEX funnel_fact_tenant_time ON funnel_fact (tenant_id, occurred_at)`);
    await q.query(`CREATE INDEX funnel_fact_tenant_user ON funnel_fact (tenant_id, user_id)`);
    await q.query(`CREATE INDEX funnel_fact_room_entry ON funnel_fact (tenant_id, user_id, occurred_at) WHERE kind = 'room_entry'`);
    await q.query(`CREATE TABLE rate_rule (
      tenant_id text NOT NULL,
      event_id text NOT NULL,
      kind text NOT NULL,
      rate double precision NOT NULL,
      order_id text,
      session_id text,
      streamer_id text,
      occurred_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, event_id))`);
    // Erasure: sha256(tenant, user) → the random pseudonym that replaced the user id (the id itself is gone).
    await q.query(`CREATE TABLE erased_user (
      tenant_id text NOT NULL,
      user_hash text NOT NULL,
      pseudonym text NOT NULL,
      erased_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_hash))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['erased_user', 'rate_rule', 'funnel_fact', 'ledger_entry']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
