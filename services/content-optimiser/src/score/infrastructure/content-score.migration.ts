import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-tenant weights of the live-content score L (jsonb `{ theta, phi }`). */
export class ContentScoreWeights1796100000001 implements MigrationInterface {
  name = 'ContentScoreWeights1796100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE content_score_weights (
      tenant_id varchar(64) PRIMARY KEY,
      weights jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE content_score_weights`);
  }
}
