import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { createServiceApp } from '@livepromo/service-kit';
import { describeWithInfra, grantTestKey, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { AS_OF, event } from './scripted-history';

/**
 * USER_PROFILE_PARTITIONS_CONCURRENTLY: batches of both partitions are applied at the same time, and the same users'
 * events arrive on both (session-keyed and user-keyed events of one user land on different partitions). Small batches
 * make many transactions overlap on the same profile rows: every event must be applied exactly once, none lost to a
 * deadlock or a lost update.
 */
describeWithInfra('user-profile applying two partitions at once', (infra) => {
  const prefix = uniquePrefix('upconc');
  let app: INestApplication;
  let bus: MessageBus;

  beforeAll(async () => {
    ({ app } = await createServiceApp(
      AppModule.register({ env: serviceTestEnv(infra, prefix, { USER_PROFILE_PARTITIONS_CONCURRENTLY: '2', USER_PROFILE_CONSUMER_BATCH: '15' }) }),
      manifest,
    ));
    bus = app.get(MessageBus);
    await grantTestKey(bus, 'tenant-c');
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  it('applies every event of users spread over both partitions exactly once', async () => {
    const users = 30;
    const perUser = 20;
    const byKey = new Map<string, CanonicalEvent[]>();
    for (let k = 0; k < perUser; k++) {
      for (let u = 0; u < users; u++) {
        const e = event('tenant-c', `c-${u}-${k}`, 'course.viewed', AS_OF, { category: 'programming', durationSec: 10 + k }, { userId: `cu-${u}`, courseId: 'c-py' });
        const key = `tenant-c:k${(u + k) % 5}`; // a user's events over five keys, hence over both partitions
        byKey.set(key, [...(byKey.get(key) ?? []), e]);
      }
    }
    await Promise.all([...byKey].map(([key, events]) => bus.publish('events.clean.v1', events, { key })));
    // a redelivery of some of them changes nothing; the marker behind it (same key, same partition) says it was consumed
    await bus.publish('events.clean.v1', byKey.get('tenant-c:k0')!.slice(0, 40), { key: 'tenant-c:k0' });
    await bus.publish('events.clean.v1', [event('tenant-c', 'c-marker', 'course.viewed', AS_OF, { category: 'design' }, { userId: 'c-marker' })], { key: 'tenant-c:k0' });

    const ds = app.get(DataSource);
    const rows = await waitFor(
      'every event applied',
      async () => {
        const r = await ds.query<{ user_id: string; events_applied: number }[]>(
          `SELECT user_id, events_applied FROM profile WHERE tenant_id = 'tenant-c' AND user_id <> 'c-marker' ORDER BY user_id`,
        );
        const marker = await ds.query<unknown[]>(`SELECT 1 FROM profile WHERE tenant_id = 'tenant-c' AND user_id = 'c-marker' AND events_applied = 1`);
        return marker.length === 1 && r.length === users && r.reduce((a, x) => a + x.events_applied, 0) >= users * perUser ? r : null;
      },
      60000,
      200,
    );
    expect(rows).toHaveLength(users);
    for (const r of rows) expect(r.events_applied).toBe(perUser);
  });
});
