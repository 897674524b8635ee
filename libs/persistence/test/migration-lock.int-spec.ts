/**
 * Replicas booting together: every one opens its DataSource and runs migrations at the same moment. The advisory
 * lock in openServiceDataSource makes one run them and the others find them done; without it one of them failed
 * on a duplicate CREATE TABLE (found by test/e2e/replicas.e2e-spec.ts).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';
import { describeWithInfra, uniquePrefix } from '@livepromo/testing';
import { dropSchema, openServiceDataSource } from '../src';

class CreateThings1700000000000 implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE thing (id int PRIMARY KEY)');
    await q.query('SELECT pg_sleep(0.3)'); // widen the window a racing replica would hit
    await q.query('CREATE TABLE other_thing (id int PRIMARY KEY)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE other_thing');
    await q.query('DROP TABLE thing');
  }
}

describeWithInfra('migrations with several replicas booting at once', (infra) => {
  const schema = uniquePrefix('mig').replace(/[^a-z0-9_]/g, '_') + 'svc';
  afterAll(() => dropSchema(infra.databaseUrl, schema));

  it('four replicas open the same schema together: all succeed, the migration ran once', async () => {
    const open = () => openServiceDataSource({ url: infra.databaseUrl, schema, entities: [], migrations: [CreateThings1700000000000], poolSize: 2 });
    const results = await Promise.allSettled([open(), open(), open(), open()]);
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    const opened = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    try {
      expect(failed).toEqual([]);
      const runs = await opened[0].query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${schema}".migrations`);
      expect(runs[0].n).toBe(1);
    } finally {
      await Promise.all(opened.map((d) => d.destroy()));
    }
  });
});
