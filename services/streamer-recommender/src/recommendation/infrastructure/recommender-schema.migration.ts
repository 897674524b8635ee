import { MigrationInterface, QueryRunner } from 'typeorm';

/** streamer-recommender's tables, plain SQL (runs on Postgres and PGlite). Every key starts with tenant_id. */
export class RecommenderSchema1764310000000 implements MigrationInterface {
  name = 'RecommenderSchema1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE processed_event (
      tenant_id varchar(64) NOT NULL,
      event_id varchar(128) NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, event_id)
    )`);
    await q.query(`CREATE TABLE streamer (
      tenant_id varchar(64) NOT NULL,
      streamer_id varchar(128) NOT NULL,
      name varchar(128),
      categories text NOT NULL DEFAULT '',
      followers int NOT NULL DEFAULT 0,
      price_band varchar(8),
      profile_at timestamptz,
      PRIMARY KEY (tenant_id, streamer_id)
    )`);
    await q.query(`CREATE TABLE streamer_activity (
      tenant_id varchar(64) NOT NULL,
      streamer_id varchar(128) NOT NULL,
      sessions int NOT NULL DEFAULT 0,
      live_sec double precision NOT NULL DEFAULT 0,
      enters int NOT NULL DEFAULT 0,
      watch_sec double precision NOT NULL DEFAULT 0,
      interactions int NOT NULL DEFAULT 0,
      orders int NOT NULL DEFAULT 0,
      revenue_minor bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, streamer_id)
    )`);
    await q.query(`CREATE TABLE streamer_category (
      tenant_id varchar(64) NOT NULL,
      streamer_id varchar(128) NOT NULL,
      category varchar(32) NOT NULL,
      weight double precision NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, streamer_id, category)
    )`);
    await q.query(`CREATE TABLE live_session (
      tenant_id varchar(64) NOT NULL,
      live_session_id varchar(128) NOT NULL,
      streamer_id varchar(128),
      category varchar(32),
      started_at timestamptz,
      ended_at timestamptz,
      duration_sec double precision,
      peak_viewers int,
      PRIMARY KEY (tenant_id, live_session_id)
    )`);
    await q.query(`CREATE TABLE user_interest (
      tenant_id varchar(64) NOT NULL,
      user_id varchar(128) NOT NULL,
      category varchar(32) NOT NULL,
      weight double precision NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, user_id, category)
    )`);
    await q.query(`CREATE TABLE user_streamer (
      tenant_id varchar(64) NOT NULL,
      user_id varchar(128) NOT NULL,
      streamer_id varchar(128) NOT NULL,
      enters int NOT NULL DEFAULT 0,
      watch_sec double precision NOT NULL DEFAULT 0,
      interactions int NOT NULL DEFAULT 0,
      purchases int NOT NULL DEFAULT 0,
      last_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, user_id, streamer_id)
    )`);
    await q.query(`CREATE TABLE course (
      tenant_id varchar(64) NOT NULL,
      course_id varchar(128) NOT NULL,
      category varchar(32),
      views int NOT NULL DEFAULT 0,
      purchases int NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, course_id)
    )`);
    await q.query(`CREATE TABLE course_audience (
      tenant_id varchar(64) NOT NULL,
      course_id varchar(128) NOT NULL,
      user_id varchar(128) NOT NULL,
      weight double precision NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, course_id, user_id)
    )`);
    await q.query(`CREATE INDEX course_audience_user ON course_audience (tenant_id, user_id)`);
    await q.query(`CREATE TABLE model_run (
      tenant_id varchar(64) NOT NULL,
      model_version varchar(64) NOT NULL,
      trained_at timestamptz NOT NULL,
      training_ms int NOT NULL,
      summary jsonb NOT NULL,
      PRIMARY KEY (tenant_id, model_version)
    )`);
    await q.query(`CREATE TABLE dirty_tenant (
      tenant_id varchar(64) PRIMARY KEY,
      changed_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['dirty_tenant', 'model_run', 'course_audience', 'course', 'user_streamer', 'user_interest', 'live_session', 'streamer_category', 'streamer_activity', 'streamer', 'processed_event'])
      await q.query(`DROP TABLE ${t}`);
  }
}
