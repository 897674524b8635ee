import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funnel counts one cohort of orders by order id (created, paid and refunded alike), so order.created facts keep
 * their order id. Facts written before this migration have none: each counts as its own order.
 */
export class RoiFunnelOrder1796100000000 implements MigrationInterface {
  name = 'RoiFunnelOrder1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE funnel_fact ADD COLUMN IF NOT EXISTS order_id text`);
    await q.query(`CREATE INDEX IF NOT EXISTS funnel_fact_order_created ON funnel_fact (tenant_id, order_id) WHERE kind = 'order_created'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS funnel_fact_order_created`);
    await q.query(`ALTER TABLE funnel_fact DROP COLUMN IF EXISTS order_id`);
  }
}
