import { MigrationInterface, QueryRunner } from 'typeorm';

/** Import jobs: total rows (known once the upload is split) and the pipeline's outcome of the job's events. */
export class IngestionImportProgress1764600000000 implements MigrationInterface {
  name = 'IngestionImportProgress1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_job ADD COLUMN total_rows integer`);
    await q.query(`ALTER TABLE import_job ADD COLUMN started_at timestamptz`);
    await q.query(`ALTER TABLE import_job ADD COLUMN downstream jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_job DROP COLUMN downstream`);
    await q.query(`ALTER TABLE import_job DROP COLUMN started_at`);
    await q.query(`ALTER TABLE import_job DROP COLUMN total_rows`);
  }
}
