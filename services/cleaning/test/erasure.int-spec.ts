import { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, Producer } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, grantTestKey, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { iso, rawFactory, toMessage } from './raw-events.fixture';

/**
 * Erasure tombstones (issue #18): after `user.erased`, an event of that user that happened at or before the
 * erasure is discarded as `erased_user` (counted), one after it is clean, another user is unaffected; the
 * tombstone survives a restart (loaded from Postgres at boot) and names no user id.
 */
describeWithInfra('cleaning: erasure tombstones over real Kafka, Redis and Postgres', (infra) => {
  const prefix = uniquePrefix('clean-erase');
  const tenant = `t-${prefix.slice(1, 12).replace(/_/g, '')}`;
  const erasedAt = Date.now() - 60_000;
  const raw = rawFactory(tenant, prefix, erasedAt - 600_000);
  let app: INestApplication;
  let key: string;
  let producer: Producer;
  const http = () => request(app.getHttpServer());

  async function boot(): Promise<void> {
    ({ app } = await createServiceApp(AppModule.register({ env: serviceTestEnv(infra, prefix, { DEDUP_WINDOW_MS: '600000' }) }), manifest));
    key ??= await grantTestKey(app.get(MessageBus), tenant);
    await waitFor('the tenant key to resolve', async () => (await http().get('/v1/dlq').set('Authorization', `Bearer ${key}`)).status === 200);
  }
  const erase = (userId: string, atMs: number, n: number) =>
    app.get(MessageBus).publish('privacy.erasure.v1', [
      { eventId: `erase-${prefix}-${n}`, tenantId: tenant, type: 'user.erased', source: 'livepromo', occurredAt: iso(atMs), receivedAt: iso(atMs), userId, schemaVersion: 1, payload: {} },
    ]);
  const send = (events: ReturnType<typeof raw>[]) => producer.send({ topic: `${prefix}ingest.raw.v1`, acks: -1, messages: events.map(toMessage) });
  const erasedCount = async () => {
    const r = await http().get(`/v1/rejections/stats?from=${encodeURIComponent(iso(Date.now() - 3_600_000))}`).set('Authorization', `Bearer ${key}`).expect(200);
    return (r.body.byReason as { reason: string; count: number }[]).find((x) => x.reason === 'erased_user')?.count ?? 0;
  };
  const cleanIds = async (n: number, timeoutMs = 30_000) => (await readTopic(infra.kafkaBrokers, `${prefix}events.clean.v1`, n, timeoutMs)).map((m) => (JSON.parse(m.value) as { eventId: string }).eventId);

  beforeAll(async () => {
    producer = new Kafka({ clientId: 'cleaning-erasure-int', brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await boot();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor('cleaning', prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  it('discards a late event of an erased user as erased_user (counted, no user id kept), passes one after the erasure and other users', async () => {
    await erase('gone', erasedAt, 1);
    await erase('gone', erasedAt - 3_600_000, 2); // an older, redelivered erasure keeps the latest erasedAt
    const ds = app.get(DataSource);
    await waitFor('the tombstone', async () => {
      const rows = await ds.query<{ erased_at: Date }[]>(`SELECT erased_at FROM erased_user WHERE tenant_id = $1`, [tenant]);
      return rows.length === 1 && new Date(rows[0].erased_at).getTime() === erasedAt;
    });
    // the tombstone keeps a hash, not the id
    const [{ n: named }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM erased_user e WHERE e::text LIKE '%gone%'`);
    expect(named).toBe(0);

    const late = raw('course.viewed', { userId: 'gone', occurredAt: iso(erasedAt - 30_000), payload: { durationSec: 5 } });
    const atErasure = raw('course.viewed', { userId: 'gone', occurredAt: iso(erasedAt), payload: { durationSec: 6 } });
    const after = raw('course.viewed', { userId: 'gone', occurredAt: iso(erasedAt + 1_000), payload: { durationSec: 7 } });
    const other = raw('course.viewed', { userId: 'stays', occurredAt: iso(erasedAt - 30_000), payload: { durationSec: 8 } });
    await send([late, atErasure, after, other]);

    const ids = await cleanIds(2);
    expect(ids.sort()).toEqual([after.eventId, other.eventId].sort());
    await waitFor('two erased_user discards counted', async () => (await erasedCount()) === 2);
    // exact accounting: 4 consumed = 2 clean + 0 dead letters + 2 counted discards
    const rows = await ds.query<{ reason: string; user_id: string | null; event_id: string }[]>(`SELECT reason, user_id, event_id FROM discarded_event WHERE tenant_id = $1`, [tenant]);
    expect(rows.map((r) => r.event_id).sort()).toEqual([late.eventId, atErasure.eventId].sort());
    expect(rows.every((r) => r.reason === 'erased_user' && r.user_id === null)).toBe(true);
    const [{ n: letters }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM dead_letter WHERE tenant_id = $1`, [tenant]);
    expect(letters).toBe(0);
    // only the clean event after the erasure and the other user reached clean data
    expect(await cleanIds(3, 3_000)).toHaveLength(2);
  });

  it('honours the tombstone after a restart (loaded from Postgres at boot)', async () => {
    await app.close();
    await boot();
    await send([raw('live.room.entered', { userId: 'gone', liveSessionId: 'ls-late', occurredAt: iso(erasedAt - 10_000) })]);
    await waitFor('a third erased_user discard', async () => (await erasedCount()) === 3);
    expect(await cleanIds(3, 3_000)).toHaveLength(2);
  });
});
