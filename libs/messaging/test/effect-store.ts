import { Pool } from 'pg';

/**
 * A durable, idempotent effect for messaging tests: each event adds its `count` to a total,
 * exactly once per eventId (insert-if-absent and total update in one transaction).
 * `deliveries` logs every handler call so redelivery can be observed.
 */
export class EffectStore {
  constructor(
    readonly pool: Pool,
    readonly schema: string,
  ) {}

  async init(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS "${this.schema}".applied (event_id text PRIMARY KEY, amount int NOT NULL)`);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS "${this.schema}".totals (id int PRIMARY KEY, total bigint NOT NULL, applications int NOT NULL)`);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS "${this.schema}".deliveries (event_id text NOT NULL, pid int NOT NULL)`);
    await this.pool.query(`INSERT INTO "${this.schema}".totals VALUES (1, 0, 0) ON CONFLICT DO NOTHING`);
  }

  /** Applies one event in its own transaction (so a batch can fail half-way through). */
  async applyOne(eventId: string, amount: number): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`INSERT INTO "${this.schema}".deliveries VALUES ($1, $2)`, [eventId, process.pid]);
      const r = await c.query(`INSERT INTO "${this.schema}".applied VALUES ($1, $2) ON CONFLICT DO NOTHING`, [eventId, amount]);
      if (r.rowCount === 1) {
        await c.query(`UPDATE "${this.schema}".totals SET total = total + $1, applications = applications + 1 WHERE id = 1`, [amount]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  }

  async stats(): Promise<{ applied: number; total: number; applications: number; deliveries: number }> {
    const [a, t, d] = await Promise.all([
      this.pool.query(`SELECT count(*)::int AS n FROM "${this.schema}".applied`),
      this.pool.query(`SELECT total::int AS total, applications FROM "${this.schema}".totals WHERE id = 1`),
      this.pool.query(`SELECT count(*)::int AS n FROM "${this.schema}".deliveries`),
    ]);
    return { applied: a.rows[0].n, total: t.rows[0].total, applications: t.rows[0].applications, deliveries: d.rows[0].n };
  }
}
