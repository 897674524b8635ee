import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { CanonicalEvent, EventType } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, grantTestKey, makeEvent, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { ModelRegistry } from '../src/recommendation/application/model-registry.service';

describeWithInfra('streamer-recommender from clean events to a served recommendation (real Kafka, Postgres, Redis)', (infra) => {
  const prefix = uniquePrefix('recommender');
  const tenant = `t-${prefix.slice(1, 14).replace(/_/g, '')}`;
  let app: INestApplication;
  let key: string;
  let ds: DataSource;
  const http = () => request(app.getHttpServer());
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${key}`);
  const base = Date.parse('2026-11-20T10:00:00.000Z');
  let n = 0;
  const ev = <T extends EventType>(type: T, over: Record<string, unknown>): CanonicalEvent => {
    n++;
    return makeEvent(type, {
      tenantId: tenant,
      eventId: `${prefix}e${n}`,
      occurredAt: new Date(base + n * 60_000).toISOString(),
      receivedAt: new Date(base + n * 60_000 + 10).toISOString(),
      courseId: undefined,
      ...over,
    } as never) as unknown as CanonicalEvent;
  };

  // two communities: programmers watch p1/p2, designers watch d1/d2
  const events: CanonicalEvent[] = [];
  const streamers = [
    { id: 'p1', cat: 'programming' as const },
    { id: 'p2', cat: 'programming' as const },
    { id: 'd1', cat: 'design' as const },
    { id: 'd2', cat: 'design' as const },
  ];
  for (const s of streamers) {
    events.push(ev('streamer.profile.upserted', { streamerId: s.id, userId: undefined, payload: { name: s.id.toUpperCase(), categories: [s.cat], followers: 5000, priceBand: 'mid' } }));
    events.push(ev('live.session.started', { streamerId: s.id, userId: undefined, liveSessionId: `ls-${s.id}`, payload: { category: s.cat } }));
  }
  for (let u = 0; u < 8; u++) {
    const prog = u % 2 === 0;
    const mine = prog ? ['p1', 'p2'] : ['d1', 'd2'];
    events.push(ev('course.viewed', { userId: `u${u}`, streamerId: undefined, courseId: prog ? 'c-py' : 'c-ux', payload: { category: prog ? 'programming' : 'design' } }));
    for (const s of mine) {
      if (u === 0 && s === 'p2') continue; // u0 has not met p2 yet
      events.push(ev('live.room.entered', { userId: `u${u}`, streamerId: undefined, liveSessionId: `ls-${s}`, payload: {} }));
      events.push(ev('live.like', { userId: `u${u}`, streamerId: s, liveSessionId: `ls-${s}`, payload: { count: 3 } }));
      events.push(ev('live.room.left', { userId: `u${u}`, streamerId: s, liveSessionId: `ls-${s}`, payload: { watchSec: 900 } }));
    }
  }
  events.push(
    ev('order.paid', { userId: 'u2', streamerId: 'p2', liveSessionId: 'ls-p2', courseId: 'c-py', payload: { orderId: 'o1', amount: { amountMinor: 19900, currency: 'CNY' }, category: 'programming' } }),
  );
  for (const s of streamers) events.push(ev('live.session.ended', { streamerId: s.id, userId: undefined, liveSessionId: `ls-${s.id}`, payload: { durationSec: 3600, peakViewers: 10 } }));

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env: serviceTestEnv(infra, prefix, { RETRAIN_INTERVAL_MS: '0', ALS_FACTORS: '4' }) }), manifest));
    ds = app.get(DataSource);
    key = await grantTestKey(app.get(MessageBus), tenant);
    await waitFor('the tenant key to resolve', async () => (await auth(http().get('/v1/models/current'))).status !== 401);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  it('applies clean events once each, even when an event is delivered twice', async () => {
    const bus = app.get(MessageBus);
    // sessions first so room events resolve their streamer from the session
    const starts: CanonicalEvent[] = events.filter((e) => e.type === 'live.session.started' || e.type === 'streamer.profile.upserted');
    await bus.publish('events.clean.v1', starts);
    await waitFor('sessions stored', async () => Number((await ds.query(`SELECT count(*) AS n FROM live_session WHERE tenant_id = $1`, [tenant]))[0].n) === 4);
    const rest = events.filter((e) => !starts.includes(e));
    await bus.publish('events.clean.v1', [...rest, rest[0], rest[5]]);
    await waitFor(
      'every event applied',
      async () => Number((await ds.query(`SELECT count(*) AS n FROM processed_event WHERE tenant_id = $1`, [tenant]))[0].n) === events.length,
    );
    const p1 = (await ds.query(`SELECT enters, interactions, watch_sec, live_sec, sessions FROM streamer_activity WHERE tenant_id = $1 AND streamer_id = 'p1'`, [tenant]))[0];
    expect(p1).toEqual({ enters: 4, interactions: 4, watch_sec: 3600, live_sec: 3600, sessions: 1 });
    const pairs = await ds.query(`SELECT count(*) AS n FROM user_streamer WHERE tenant_id = $1`, [tenant]);
    expect(Number(pairs[0].n)).toBe(15);
  });

  it('retrains on demand, publishes recommendations.updated.v1 and describes its clusters', async () => {
    const res = await auth(http().post('/v1/models/retrain')).expect(200);
    expect(res.body.modelVersion).toMatch(/^m/);
    expect(res.body.sizes).toMatchObject({ streamers: 4, users: 8 });
    expect(res.body.clustering.k).toBeGreaterThanOrEqual(1);
    const msgs = await readTopic(infra.kafkaBrokers, `${prefix}recommendations.updated.v1`, 1);
    const published = msgs.map((m) => JSON.parse(m.value) as { tenantId: string; payload: { modelVersion: string } }).find((m) => m.tenantId === tenant);
    expect(published?.payload.modelVersion).toBe(res.body.modelVersion);
  });

  it('recommends a programmer the programming streamers, with components, reasons and model version, then serves it from cache', async () => {
    const res = await auth(http().get('/v1/recommendations/users/u0/streamers?limit=2')).expect(200);
    expect(res.body.results.map((r: { streamerId: string }) => r.streamerId).sort()).toEqual(['p1', 'p2']);
    expect(res.body.modelVersion).toMatch(/^m/);
    expect(res.body.method.formula).toContain('Σ δk·Ck + ε·B');
    const top = res.body.results[0];
    expect(Object.keys(top.components).sort()).toEqual(['cf', 'content', 'itemKnn', 'popularity', 'recency', 'repeat']);
    expect(top.reasons.join(' ')).toContain('programming');
    expect(res.body.cached).toBe(false);
    const again = await auth(http().get('/v1/recommendations/users/u0/streamers?limit=2')).expect(200);
    expect(again.body.cached).toBe(true);
  });

  it('answers for a course, a segment and a streamer, and rejects bad input', async () => {
    const course = await auth(http().get('/v1/recommendations/courses/c-py/streamers?limit=2')).expect(200);
    expect(course.body.results[0].streamerId).toBe('p2'); // the one that converted
    expect(course.body.results[0].expectedEnrolments).toBeGreaterThan(0);
    expect(course.body.results[0].audienceOverlap.users).toBeGreaterThan(0);
    const seg = await auth(http().post('/v1/recommendations/segments/streamers').send({ interests: { design: 1 }, limit: 2 })).expect(201);
    expect(seg.body.results.map((r: { streamerId: string }) => r.streamerId).sort()).toEqual(['d1', 'd2']);
    const sim = await auth(http().get('/v1/recommendations/streamers/d1/similar?limit=1')).expect(200);
    expect(sim.body.results[0].streamerId).toBe('d2');
    await auth(http().get('/v1/recommendations/streamers/nobody/similar')).expect(404);
    const bad = await auth(http().post('/v1/recommendations/segments/streamers').send({ limit: 2 })).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
    await http().get('/v1/recommendations/users/u0/streamers').expect(401);
  });

  it('drops a cached course answer when events change that course, without waiting for a retrain', async () => {
    const url = '/v1/recommendations/courses/c-py/streamers?limit=2';
    await auth(http().get(url)).expect(200);
    const cached = await auth(http().get(url)).expect(200);
    expect(cached.body.cached).toBe(true);
    expect(cached.body.subject.audienceUsers).toBe(4);
    await app.get(MessageBus).publish('events.clean.v1', [ev('course.viewed', { userId: 'u9', streamerId: undefined, courseId: 'c-py', payload: { category: 'programming' } })]);
    const fresh = await waitFor('the course answer recomputed from the changed course', async () => {
      const r = await auth(http().get(url));
      return r.body.cached === false ? r : null;
    });
    expect(fresh.body.modelVersion).toBe(cached.body.modelVersion);
    expect(fresh.body.subject.audienceUsers).toBe(5);
    expect((await auth(http().get(url)).expect(200)).body.cached).toBe(true);
  });

  it('forgets an erased user, in Postgres and in the served model', async () => {
    const before = await auth(http().get('/v1/recommendations/users/u1/streamers?limit=2')).expect(200);
    expect(before.body.subject.known).toBe(true);
    const now = new Date().toISOString();
    await app.get(MessageBus).publish('privacy.erasure.v1', [
      { eventId: `${prefix}erase`, tenantId: tenant, type: 'user.erased', source: 'livepromo', occurredAt: now, receivedAt: now, userId: 'u1', schemaVersion: 1, payload: {} },
    ]);
    await waitFor('u1 erased', async () => Number((await ds.query(`SELECT count(*) AS n FROM user_streamer WHERE tenant_id = $1 AND user_id = 'u1'`, [tenant]))[0].n) === 0);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM user_interest WHERE tenant_id = $1 AND user_id = 'u1'`, [tenant]))[0].n)).toBe(0);
    const after = await waitFor('u1 gone from the served model', async () => {
      const r = await auth(http().get('/v1/recommendations/users/u1/streamers?limit=2'));
      return r.body.subject?.known === false ? r : null;
    });
    expect(after.body.subject.historyStreamers).toBe(0);
  });

  it('retrains tenants whose features changed (the scheduled path) and serves the new version uncached', async () => {
    const before = (await auth(http().get('/v1/models/current')).expect(200)).body.modelVersion as string;
    await app.get(MessageBus).publish('events.clean.v1', [
      ev('streamer.profile.upserted', { streamerId: 'w1', userId: undefined, payload: { name: 'W1', categories: ['writing'], followers: 10 } }),
    ]);
    await waitFor('the new streamer stored', async () => (await ds.query(`SELECT 1 FROM streamer WHERE tenant_id = $1 AND streamer_id = 'w1'`, [tenant])).length === 1);
    expect(await app.get(ModelRegistry).retrainDirty()).toContain(tenant);
    const res = await auth(http().get('/v1/recommendations/users/u0/streamers?limit=2')).expect(200);
    expect(res.body.modelVersion).not.toBe(before);
    expect(res.body.cached).toBe(false);
    expect(res.body.method.sample.streamers).toBe(5);
  });
});
