import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per consumed message of a backfill stream (an import job: `ingest.streamId`) with its outcome
 * (`clean`, `duplicate`, `dead_lettered:<reason>`, `discarded:<reason>`), keyed by message position so a
 * redelivered batch writes nothing twice. Cleaning reads the per-stream totals back and announces them as
 * `import.outcome.counted` on events.quality.v1 (ingestion keeps them in its job row). Live events get no row.
 */
export class CleaningStreamOutcome1764600000000 implements MigrationInterface {
  name = 'CleaningStreamOutcome1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE stream_outcome (
      src_partition int NOT NULL,
      src_offset bigint NOT NULL,
      tenant_id varchar(64) NOT NULL,
      stream_id varchar(128) NOT NULL,
      outcome varchar(96) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (src_partition, src_offset)
    )`);
    await q.query(`CREATE INDEX stream_outcome_stream ON stream_outcome (tenant_id, stream_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stream_outcome`);
  }
}
