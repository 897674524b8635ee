import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { CanonicalEvent, EventType } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, grantTestKey, makeEvent, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';

type Term = { name: string; weight: number; input: number; contribution: number };
type Answer = {
  formula: string;
  target: { courseId: string | null; category: string | null };
  weightsSource: string;
  shrinkage: { tenantConversion: number; pseudoEntries: number };
  sample: { streamers: number; roomEntries: number; paidOrders: number };
  results: { streamerId: string; value: number; terms: Term[]; sample: { roomEntries: number; paidOrders: number } }[];
};

describeWithInfra('streamer score M through the route (real Kafka, Postgres, Redis)', (infra) => {
  const prefix = uniquePrefix('mscore');
  const tenant = `m-${prefix.slice(1, 14).replace(/_/g, '')}`;
  let app: INestApplication;
  let key: string;
  const http = () => request(app.getHttpServer());
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${key}`);
  const base = Date.parse('2026-11-20T10:00:00.000Z');
  let n = 0;
  const ev = <T extends EventType>(type: T, over: Record<string, unknown>): CanonicalEvent => {
    n++;
    return makeEvent(type, {
      tenantId: tenant,
      eventId: `${prefix}e${n}`,
      occurredAt: new Date(base + n * 1000).toISOString(),
      receivedAt: new Date(base + n * 1000 + 10).toISOString(),
      courseId: undefined,
      userId: undefined,
      ...over,
    } as never) as unknown as CanonicalEvent;
  };
  // p-good: programming, 10 entries, 3 orders; p-poor: programming, 10 entries, 0 orders; d-1: design, 10 entries, 5 orders
  const plan = [
    { id: 'p-good', cat: 'programming', orders: 3 },
    { id: 'p-poor', cat: 'programming', orders: 0 },
    { id: 'd-1', cat: 'design', orders: 5 },
  ];
  const profiles: CanonicalEvent[] = [];
  const rest: CanonicalEvent[] = [];
  for (const s of plan) {
    profiles.push(ev('streamer.profile.upserted', { streamerId: s.id, payload: { name: s.id, categories: [s.cat], followers: 9000, priceBand: 'mid' } }));
    profiles.push(ev('live.session.started', { streamerId: s.id, liveSessionId: `ls-${s.id}`, payload: { category: s.cat } }));
    for (let u = 0; u < 10; u++) rest.push(ev('live.room.entered', { userId: `u${u}`, streamerId: s.id, liveSessionId: `ls-${s.id}`, payload: {} }));
    for (let o = 0; o < s.orders; o++)
      rest.push(ev('order.paid', { userId: `u${o}`, streamerId: s.id, liveSessionId: `ls-${s.id}`, courseId: 'c-py', payload: { orderId: `${s.id}-o${o}`, amount: { amountMinor: 19900, currency: 'CNY' }, category: 'programming' } }));
    rest.push(ev('live.session.ended', { streamerId: s.id, liveSessionId: `ls-${s.id}`, payload: { durationSec: 3600, peakViewers: 10 } }));
  }
  rest.push(ev('course.viewed', { userId: 'u1', courseId: 'c-py', payload: { category: 'programming' } }));

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env: serviceTestEnv(infra, prefix, { RETRAIN_INTERVAL_MS: '0', ALS_FACTORS: '4' }) }), manifest));
    key = await grantTestKey(app.get(MessageBus), tenant);
    await waitFor('the tenant key to resolve', async () => (await auth(http().get('/v1/streamer-score-weights'))).status === 200, 60_000);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  it('ranks streamers for a course by M with the formula, terms and sample; tenant weights change the ranking', async () => {
    const bus = app.get(MessageBus);
    await bus.publish('events.clean.v1', profiles);
    await bus.publish('events.clean.v1', rest);
    let body: Answer | undefined;
    await waitFor('every order counted', async () => {
      const r = await auth(http().get('/v1/streamer-scores?courseId=c-py'));
      body = r.body as Answer;
      return r.status === 200 && body.sample.paidOrders === 8 && body.sample.roomEntries === 30;
    }, 90_000, 250);
    const a = body!;
    expect(a.formula).toMatch(/^M = Σ_j δ_j·C_j \+ ε·B/);
    expect(a.target).toEqual({ courseId: 'c-py', category: 'programming' });
    expect(a.weightsSource).toBe('default');
    expect(a.shrinkage.tenantConversion).toBeCloseTo(8 / 30, 12);
    expect(a.results.map((r) => r.streamerId)).toEqual(['p-good', 'p-poor', 'd-1']);
    // by hand: categoryFit (1 profile + 1 session, both programming) = 1; followers ln(1 + 9) ; 1 live hour → ln 2;
    // B = 100·(3 + 50·8/30)/(10 + 50) = 100·(3 + 13.3333)/60 = 27.2222
    const good = a.results[0];
    const expected = 10 * 1 + 0.2 * Math.log(10) + 0.1 * Math.log(2) + (100 * (3 + (50 * 8) / 30)) / 60;
    expect(good.value).toBeCloseTo(expected, 9);
    expect(good.sample).toMatchObject({ roomEntries: 10, paidOrders: 3 });
    expect(good.terms.map((t) => t.name)).toEqual(['categoryFit', 'followers', 'liveHours', 'behaviour']);

    // a tenant that weighs only behaviour: the design streamer with 5 orders comes first
    const put = await auth(http().put('/v1/streamer-score-weights').send({ delta: { categoryFit: 0 } }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ source: 'tenant', weights: { delta: { categoryFit: 0, followers: 0.2, liveHours: 0.1 }, epsilon: 1 } });
    const after = (await auth(http().get('/v1/streamer-scores?courseId=c-py'))).body as Answer;
    expect(after.weightsSource).toBe('tenant');
    expect(after.results[0].streamerId).toBe('d-1');

    // errors in the one shape
    const bad = await auth(http().put('/v1/streamer-score-weights').send({ delta: { charisma: 1 } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const unknown = await auth(http().get('/v1/streamer-scores?courseId=c-nope'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  }, 150_000);
});
