import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ingestion's tables, plain SQL (runs on Postgres and PGlite). */
export class IngestionSchema1764320000000 implements MigrationInterface {
  name = 'IngestionSchema1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenant (
      tenant_id varchar(64) PRIMARY KEY,
      name varchar(256) NOT NULL,
      pseudonymise_user_ids boolean NOT NULL DEFAULT false,
      pseudonym_key text NOT NULL,
      webhook_secret text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE api_key (
      key_id varchar(64) PRIMARY KEY,
      tenant_id varchar(64) NOT NULL REFERENCES tenant (tenant_id),
      key_hash char(64) NOT NULL UNIQUE,
      label varchar(128),
      status varchar(16) NOT NULL,
      created_at timestamptz NOT NULL,
      revoked_at timestamptz,
      replaced_by varchar(64)
    )`);
    await q.query(`CREATE INDEX api_key_tenant ON api_key (tenant_id)`);
    await q.query(`CREATE TABLE import_job (
      job_id varchar(64) PRIMARY KEY,
      tenant_id varchar(64) NOT NULL,
      status varchar(16) NOT NULL,
      format varchar(8) NOT NULL,
      bytes integer NOT NULL,
      rows_read integer NOT NULL DEFAULT 0,
      accepted integer NOT NULL DEFAULT 0,
      rejected integer NOT NULL DEFAULT 0,
      rejected_by_reason jsonb NOT NULL DEFAULT '{}',
      sample_rejects jsonb NOT NULL DEFAULT '[]',
      error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz
    )`);
    await q.query(`CREATE INDEX import_job_tenant ON import_job (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_job`);
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE tenant`);
  }
}
