import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-tenant weights of the streamer score M (jsonb `{ delta, epsilon }`). */
export class StreamerScoreWeights1796100000000 implements MigrationInterface {
  name = 'StreamerScoreWeights1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE streamer_score_weights (
      tenant_id varchar(64) PRIMARY KEY,
      weights jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE streamer_score_weights`);
  }
}
