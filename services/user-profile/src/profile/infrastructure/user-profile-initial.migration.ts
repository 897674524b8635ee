import { MigrationInterface, QueryRunner } from 'typeorm';

/** Initial schema (plain SQL: runs on Postgres and PGlite). Tables live in the service's own schema. */
export class UserProfileInitial1764300000000 implements MigrationInterface {
  name = 'UserProfileInitial1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE profile (
      tenant_id text NOT NULL,
      user_id text NOT NULL,
      state jsonb,
      version bigint NOT NULL DEFAULT 0,
      events_applied integer NOT NULL DEFAULT 0,
      paid_orders integer NOT NULL DEFAULT 0,
      last_paid_ms bigint,
      monetary_minor bigint NOT NULL DEFAULT 0,
      top_category text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id))`);
    await q.query(`CREATE INDEX profile_tenant_top_category ON profile (tenant_id, top_category, user_id)`);
    await q.query(`CREATE TABLE processed_event (
      tenant_id text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, event_id))`);
    await q.query(`CREATE INDEX processed_event_processed_at ON processed_event (processed_at)`);
    await q.query(`CREATE TABLE live_session (
      tenant_id text NOT NULL,
      session_id text NOT NULL,
      category text NOT NULL,
      PRIMARY KEY (tenant_id, session_id))`);
    await q.query(`CREATE TABLE score_weights (
      tenant_id text PRIMARY KEY,
      weights jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE profile_outbox (
      id bigserial PRIMARY KEY,
      tenant_id text NOT NULL,
      user_ids jsonb NOT NULL,
      version bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE erased_user (
      tenant_id text NOT NULL,
      user_hash text NOT NULL,
      erased_at_ms bigint NOT NULL,
      PRIMARY KEY (tenant_id, user_hash))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['erased_user', 'profile_outbox', 'score_weights', 'live_session', 'processed_event', 'profile']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
