import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cleaning's tables, plain SQL (runs on Postgres and PGlite). */
export class CleaningSchema1764300000000 implements MigrationInterface {
  name = 'CleaningSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dead_letter (
      dead_letter_id varchar(128) PRIMARY KEY,
      tenant_id varchar(256),
      reason varchar(64) NOT NULL,
      message text NOT NULL,
      event_id varchar(256),
      event_type varchar(256),
      user_id varchar(256),
      original_topic varchar(256) NOT NULL,
      original_partition int,
      original_offset varchar(32),
      original_base64 text NOT NULL,
      details jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      replayed_at timestamptz
    )`);
    await q.query(`CREATE UNIQUE INDEX dead_letter_position ON dead_letter (original_topic, original_partition, original_offset)`);
    await q.query(`CREATE INDEX dead_letter_tenant_created ON dead_letter (tenant_id, created_at)`);
    await q.query(`CREATE TABLE discarded_event (
      src_partition int NOT NULL,
      src_offset bigint NOT NULL,
      tenant_id varchar(64) NOT NULL,
      event_id varchar(128) NOT NULL,
      event_type varchar(64) NOT NULL,
      reason varchar(64) NOT NULL,
      signal varchar(32),
      live_session_id varchar(128),
      user_id varchar(128),
      occurred_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (src_partition, src_offset)
    )`);
    await q.query(`CREATE INDEX discarded_tenant_created ON discarded_event (tenant_id, created_at)`);
    await q.query(`CREATE INDEX discarded_tenant_session ON discarded_event (tenant_id, live_session_id)`);
    await q.query(`CREATE TABLE test_account (
      tenant_id varchar(64) NOT NULL,
      user_id varchar(128) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_account`);
    await q.query(`DROP TABLE discarded_event`);
    await q.query(`DROP TABLE dead_letter`);
  }
}
