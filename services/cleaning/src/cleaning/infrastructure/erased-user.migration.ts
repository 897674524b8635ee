import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure tombstones: one row per erased (tenant, user), written by the `user.erased` consumer, so that a late
 * event of the user (occurredAt ≤ erased_at) is discarded as `erased_user` instead of bringing the user back
 * downstream. The user is kept as sha256(tenant ␀ userId) only (like user-profile's tombstone): the row holds no
 * user id. A repeated erasure keeps the latest erased_at.
 */
export class CleaningErasedUser1796200000000 implements MigrationInterface {
  name = 'CleaningErasedUser1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE erased_user (
      tenant_id varchar(64) NOT NULL,
      user_hash char(64) NOT NULL,
      erased_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_hash)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE erased_user`);
  }
}
