import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, grantTestKey, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { LiveScript } from './live-script';

type Answer = {
  value: number;
  formula: string;
  live: boolean;
  weightsSource: string;
  terms: { name: string; input: number; contribution: number }[];
  sample: { roomEntries: number; classifiedComments: number; interactions: number; acceptedSuggestions: number };
};

describeWithInfra('live-content score L through the route (real Kafka, Postgres, Redis)', (infra) => {
  const prefix = uniquePrefix('lscore');
  const env = serviceTestEnv(infra, prefix);
  const tenantId = `l-${Date.now().toString(36)}`;
  const s = new LiveScript(tenantId, 'ls-score', 'streamer-1', Date.parse('2026-11-28T08:00:00.000Z'));
  let app: INestApplication;
  let key: string;
  const get = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env }), manifest));
    key = await grantTestKey(app.get(MessageBus), tenantId);
    await waitFor('tenant key to resolve', async () => (await get('/v1/content-score-weights')).status === 200, 60_000);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, env.LIVEPROMO_SCHEMA_PREFIX));
  });

  it('scores a session by L with formula, terms and sample; tenant weights change it; unknown sessions 404', async () => {
    const clean: CanonicalEvent[] = [s.started(0), ...s.enters(20, 1), ...s.comments(30, 25), ...s.likes(40, 40)];
    const classified = [...s.classified(10, 30, 'course_content'), ...s.classified(5, 45, 'praise', 'positive'), ...s.classified(5, 55, 'complaint', 'negative')];
    const bus = app.get(MessageBus);
    await bus.publish('events.clean.v1', clean);
    await bus.publish('comments.classified.v1', classified as never);
    let a: Answer | undefined;
    await waitFor('every event applied', async () => {
      const r = await get('/v1/live-sessions/ls-score/content-score');
      a = r.body as Answer;
      return r.status === 200 && a.sample.roomEntries === 20 && a.sample.classifiedComments === 20 && a.sample.interactions === 70;
    }, 90_000, 250);
    // by hand: 2·(10/20) + 2·(5/20) − 3·(5/20) + 0.3·ln1 + 0.2·ln1 + 0.5·ln1 + ln(1 + 70/20) = 1 + 0.5 − 0.75 + ln 4.5
    expect(a!.value).toBeCloseTo(0.75 + Math.log(4.5), 9);
    expect(a!.formula).toMatch(/^L = Σ_k θ_k·L_k \+ φ·I/);
    expect(a!.live).toBe(true);
    expect(a!.weightsSource).toBe('default');
    expect(a!.sample.acceptedSuggestions).toBe(0);

    const put = await request(app.getHttpServer()).put('/v1/content-score-weights').set('Authorization', `Bearer ${key}`).send({ phi: 0 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ source: 'tenant', weights: { phi: 0, theta: { negative: -3 } } });
    const after = (await get('/v1/live-sessions/ls-score/content-score')).body as Answer;
    expect(after.value).toBeCloseTo(0.75, 9);
    expect(after.weightsSource).toBe('tenant');

    const bad = await request(app.getHttpServer()).put('/v1/content-score-weights').set('Authorization', `Bearer ${key}`).send({ phi: 'high' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    // the minute curve from the same counters: one minute, 20 entries, 30 comments, 40 likes
    const curve = await get('/v1/live-sessions/ls-score/minute-curve');
    expect(curve.status).toBe(200);
    expect(curve.body.minutes).toEqual([
      { minuteStart: '2026-11-28T08:00:00.000Z', entered: 20, left: 0, viewersAtEnd: 20, comments: 30, likes: 40, clicks: 0, orders: 0, revenueMinor: 0 },
    ]);
    expect((await get('/v1/live-sessions/ls-nope/minute-curve')).status).toBe(404);
    const missing = await get('/v1/live-sessions/ls-nope/content-score');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  }, 150_000);
});
