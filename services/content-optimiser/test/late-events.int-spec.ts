import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, grantTestKey, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { LiveScript } from './live-script';

type Window = { windowSec: number; windowEnd: string; metrics: Record<string, number> };

/**
 * Events arriving faster than the service keeps up: a classification (its own topic) ahead of the clean events
 * of earlier minutes, and a clean burst delivered out of order across consumed batches. A window's counters must
 * end up equal to what its events say either way.
 */
describeWithInfra('content-optimiser windows under out-of-order arrival (real Kafka and Postgres)', (infra) => {
  const prefix = uniquePrefix('coLate');
  const env = serviceTestEnv(infra, prefix);
  const tenantId = `col-${Date.now().toString(36)}`;
  const T0 = Date.parse('2026-11-29T10:00:00.000Z');
  let app: INestApplication;
  let key: string;

  const get = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${key}`);
  async function windows(sessionId: string, sec: number): Promise<Map<number, Window>> {
    const res = await get(`/v1/live-sessions/${sessionId}?history=50`);
    const list = res.status === 200 ? ((res.body as { windows: Record<string, Window[]> }).windows[`${sec}s`] ?? []) : [];
    return new Map(list.map((w) => [(Date.parse(w.windowEnd) - T0) / 1000, w]));
  }
  async function watermarkIs(sessionId: string, atSec: number): Promise<boolean> {
    const res = await get(`/v1/live-sessions/${sessionId}`);
    return res.status === 200 && Date.parse(res.body.watermark as string) === T0 + atSec * 1000;
  }
  const publish = (topic: 'events.clean.v1' | 'comments.classified.v1', events: CanonicalEvent[]) => app.get(MessageBus).publish(topic, events);

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env }), manifest));
    await app.listen(0, '127.0.0.1');
    key = await grantTestKey(app.get(MessageBus), tenantId);
    await waitFor('tenant key to resolve', async () => (await get('/v1/live-sessions/nope')).status === 404);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, env.LIVEPROMO_SCHEMA_PREFIX));
  });

  it('a classification ahead of the clean events of earlier minutes closes no window early', async () => {
    const s = new LiveScript(tenantId, 'ls-ahead', 'streamer-a', T0);
    await publish('events.clean.v1', [s.started(0), ...s.enters(5, 1)]);
    await waitFor('session start applied', () => watermarkIs('ls-ahead', 5), 60_000);
    // inference got further than this service's events.clean.v1 consumer: a minute-2 classification lands first
    await publish('comments.classified.v1', s.classified(1, 150, 'praise', 'positive'));
    await waitFor('classification applied', () => watermarkIs('ls-ahead', 150), 60_000);
    // then the clean events of minutes 0–2 (the clean clock passes 182 s: minutes 0, 1, 2 close)
    await publish('events.clean.v1', [...s.comments(10, 20), ...s.comments(4, 70), ...s.enters(3, 100, 1, 'v'), ...s.likes(1, 185)]);
    const w = await waitFor('minute 2 closed', async () => {
      const ws = await windows('ls-ahead', 60);
      return ws.has(180) ? ws : null;
    }, 60_000);
    expect(w.get(60)!.metrics).toMatchObject({ concurrentViewers: 5, newViewers: 5, commentsPerMin: 10 });
    expect(w.get(120)!.metrics).toMatchObject({ concurrentViewers: 8, newViewers: 3, commentsPerMin: 4, classifiedComments: 0 });
    expect(w.get(180)!.metrics).toMatchObject({ concurrentViewers: 8, classifiedComments: 1, avgSentiment: 0.8 });
  });

  it('a burst delivered out of order across batches revises the windows it lands in, with no suggestion for the correction', async () => {
    const s = new LiveScript(tenantId, 'ls-burst', 'streamer-b', T0);
    await publish('events.clean.v1', [s.started(0), ...s.enters(5, 1), ...s.comments(3, 130)]);
    const first = await waitFor('minutes 0 and 1 closed', async () => {
      const ws = await windows('ls-burst', 60);
      return ws.has(120) ? ws : null;
    }, 60_000);
    expect(first.get(120)!.metrics).toMatchObject({ concurrentViewers: 5, commentsPerMin: 0 });
    // the rest of minute 1 arrives after it closed (a backlog split into batches out of time order)
    await publish('events.clean.v1', [...s.comments(7, 65), ...s.enters(2, 70, 1, 'v')]);
    const w = await waitFor('minute 1 revised', async () => {
      const ws = await windows('ls-burst', 60);
      return ws.get(120)?.metrics.commentsPerMin === 7 ? ws : null;
    }, 60_000);
    expect(w.get(120)!.metrics).toMatchObject({ concurrentViewers: 7, newViewers: 2, commentsPerMin: 7 });
    expect(w.get(60)!.metrics).toMatchObject({ concurrentViewers: 5, commentsPerMin: 0 });
    const ten = await windows('ls-burst', 10);
    expect(ten.get(70)!.metrics).toMatchObject({ commentsPerMin: 7 * 6, concurrentViewers: 5 }); // comments at 65..68 s
    expect(ten.get(80)!.metrics).toMatchObject({ commentsPerMin: 0, concurrentViewers: 7 }); // entries at 70, 71 s
    expect(ten.get(120)!.metrics).toMatchObject({ concurrentViewers: 7 }); // viewers carried into later windows

    // the correction is published again under its own eventId; the first publication stays unique
    const msgs = (await readTopic(infra.kafkaBrokers, `${prefix}live.metrics.v1`, 1000, 8000))
      .map((r) => JSON.parse(r.value) as { eventId: string; liveSessionId: string; payload: { windowSec: number; windowEnd: string; metrics: Record<string, number> } })
      .filter((e) => e.liveSessionId === 'ls-burst' && e.payload.windowSec === 60 && Date.parse(e.payload.windowEnd) === T0 + 120_000);
    expect(msgs.map((e) => e.payload.metrics.commentsPerMin)).toEqual([0, 7]);
    expect(new Set(msgs.map((e) => e.eventId)).size).toBe(2);
    const state = await get('/v1/live-sessions/ls-burst').expect(200);
    expect(state.body.suggestions).toEqual([]);
  });
});
