import { MigrationInterface, QueryRunner } from 'typeorm';

/** Model registry: versions with their ONNX bytes; at most one active version per model name. */
export class InferenceInit1764300000000 implements MigrationInterface {
  name = 'InferenceInit1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE model_versions (
        name varchar(64) NOT NULL,
        version int NOT NULL,
        task varchar(32) NOT NULL,
        manifest jsonb NOT NULL,
        onnx bytea NOT NULL,
        bytes int NOT NULL,
        sha256 varchar(64) NOT NULL,
        source_path text NULL,
        active boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz NULL,
        PRIMARY KEY (name, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX model_versions_one_active ON model_versions (name) WHERE active`);
    await q.query(`CREATE UNIQUE INDEX model_versions_sha ON model_versions (name, sha256)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE model_versions`);
  }
}
