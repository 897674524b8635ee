import { MigrationInterface, QueryRunner } from 'typeorm';
import { COUNTER_FIELDS } from '../domain/live-window';
import { counterColumn } from './live-state.sql';

/** content-optimiser's tables, plain SQL (runs on Postgres and PGlite). */
export class ContentOptimiserSchema1764320000000 implements MigrationInterface {
  name = 'ContentOptimiserSchema1764320000000';

  async up(q: QueryRunner): Promise<void> {
    // Every event applied to the windows, by eventId: redelivery is a no-op.
    await q.query(`CREATE TABLE applied_event (
      tenant_id varchar(64) NOT NULL,
      event_id varchar(128) NOT NULL,
      session_id varchar(128) NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, event_id)
    )`);
    // 10-second buckets of additive counters; every window is a sum of buckets.
    await q.query(`CREATE TABLE live_bucket (
      tenant_id varchar(64) NOT NULL,
      session_id varchar(128) NOT NULL,
      bucket_start bigint NOT NULL,
      ${COUNTER_FIELDS.map((f) => `${counterColumn(f)} double precision NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (tenant_id, session_id, bucket_start)
    )`);
    // Who has been in a session (new-viewer counting); per-user, deleted on user.erased.
    await q.query(`CREATE TABLE session_viewer (
      tenant_id varchar(64) NOT NULL,
      session_id varchar(128) NOT NULL,
      user_id varchar(128) NOT NULL,
      first_seen_ms bigint NOT NULL,
      PRIMARY KEY (tenant_id, session_id, user_id)
    )`);
    await q.query(`CREATE INDEX session_viewer_user ON session_viewer (tenant_id, user_id)`);
    // Session state: watermark, how far each window length is closed, detector cooldowns.
    await q.query(`CREATE TABLE live_session (
      tenant_id varchar(64) NOT NULL,
      session_id varchar(128) NOT NULL,
      streamer_id varchar(128),
      category varchar(32),
      started_at_ms bigint,
      ended_at_ms bigint,
      watermark_ms bigint,
      closed_until jsonb NOT NULL DEFAULT '{}',
      last_fired jsonb NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, session_id)
    )`);
    // Every closed window, once: the published metrics and the baseline of later sessions.
    await q.query(`CREATE TABLE window_metric (
      tenant_id varchar(64) NOT NULL,
      session_id varchar(128) NOT NULL,
      window_sec int NOT NULL,
      window_end_ms bigint NOT NULL,
      streamer_id varchar(128),
      category varchar(32),
      metrics jsonb NOT NULL,
      published jsonb NOT NULL,
      worst_metric varchar(64),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, session_id, window_sec, window_end_ms)
    )`);
    await q.query(`CREATE INDEX window_metric_streamer ON window_metric (tenant_id, streamer_id, window_sec, window_end_ms)`);
    await q.query(`CREATE INDEX window_metric_category ON window_metric (tenant_id, category, window_sec, window_end_ms)`);
    await q.query(`CREATE TABLE suggestion (
      tenant_id varchar(64) NOT NULL,
      suggestion_id varchar(128) NOT NULL,
      session_id varchar(128) NOT NULL,
      category varchar(32) NOT NULL,
      trigger varchar(64) NOT NULL,
      strategy varchar(64) NOT NULL,
      window_end_ms bigint NOT NULL,
      payload jsonb NOT NULL,
      feedback varchar(16),
      feedback_at timestamptz,
      outcome jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, suggestion_id)
    )`);
    await q.query(`CREATE INDEX suggestion_session ON suggestion (tenant_id, session_id, window_end_ms)`);
    // Thompson-sampling posteriors per tenant × course category × trigger × strategy.
    await q.query(`CREATE TABLE bandit_arm (
      tenant_id varchar(64) NOT NULL,
      category varchar(32) NOT NULL,
      trigger varchar(64) NOT NULL,
      strategy varchar(64) NOT NULL,
      alpha double precision NOT NULL DEFAULT 1,
      beta double precision NOT NULL DEFAULT 1,
      pulls int NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, category, trigger, strategy)
    )`);
    // Transactional outbox: written with the state, published and deleted afterwards.
    await q.query(`CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      topic varchar(64) NOT NULL,
      message jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['outbox', 'bandit_arm', 'suggestion', 'window_metric', 'live_session', 'session_viewer', 'live_bucket', 'applied_event']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
