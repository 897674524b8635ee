import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bot traffic per live session as announced by cleaning (`session.bot_traffic.counted` on events.quality.v1).
 * Cumulative totals: an upsert keeps the largest, so order and redelivery do not matter.
 */
export class RoiBotTraffic1795870000000 implements MigrationInterface {
  name = 'RoiBotTraffic1795870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE bot_traffic (
      tenant_id text NOT NULL,
      session_id text NOT NULL,
      bot_events bigint NOT NULL,
      bot_users bigint NOT NULL DEFAULT 0,
      bot_room_entries bigint NOT NULL DEFAULT 0,
      by_signal jsonb NOT NULL DEFAULT '{}'::jsonb,
      by_type jsonb NOT NULL DEFAULT '{}'::jsonb,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, session_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS bot_traffic`);
  }
}
