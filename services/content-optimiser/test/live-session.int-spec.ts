import { INestApplication } from '@nestjs/common';
import http from 'node:http';
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

interface SseClient {
  events: { event: string; data: Record<string, unknown> }[];
  close(): void;
}

function openSse(url: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const events: SseClient['events'] = [];
    const req = http.get(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
      expect(res.headers['content-type']).toContain('text/event-stream');
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
  });
}

type Window = { windowSec: number; windowEnd: string; metrics: Record<string, number>; worstMetric?: string };

describeWithInfra('content-optimiser live pipeline over real Kafka and Postgres', (infra) => {
  const prefix = uniquePrefix('coLive');
  const env = serviceTestEnv(infra, prefix);
  const tenantId = `co-${Date.now().toString(36)}`;
  const T_BASE = Date.parse('2026-11-28T08:00:00.000Z');
  const T_LIVE = Date.parse('2026-11-28T09:00:00.000Z');
  const base = new LiveScript(tenantId, 'ls-base', 'streamer-1', T_BASE);
  const live = new LiveScript(tenantId, 'ls-live', 'streamer-1', T_LIVE);
  let app: INestApplication;
  let key: string;
  const sseClients: SseClient[] = [];
  let sent: { clean: CanonicalEvent[]; classified: CanonicalEvent[] } = { clean: [], classified: [] };

  async function boot(): Promise<void> {
    ({ app } = await createServiceApp(AppModule.register({ env }), manifest));
    await app.listen(0, '127.0.0.1');
    key = key ?? (await grantTestKey(app.get(MessageBus), tenantId));
    await waitFor('tenant key to resolve', async () => (await request(app.getHttpServer()).get('/v1/live-sessions/nope').set('Authorization', `Bearer ${key}`)).status === 404);
  }

  async function publish(events: CanonicalEvent[]): Promise<void> {
    const clean = events.filter((e) => e.type !== 'comment.classified');
    const classified = events.filter((e) => e.type === 'comment.classified');
    const bus = app.get(MessageBus);
    await bus.publish('events.clean.v1', clean);
    await bus.publish('comments.classified.v1', classified);
    sent = { clean: [...sent.clean, ...clean], classified: [...sent.classified, ...classified] };
  }

  async function state(sessionId: string, history = 50) {
    const res = await request(app.getHttpServer()).get(`/v1/live-sessions/${sessionId}?history=${history}`).set('Authorization', `Bearer ${key}`);
    return res.status === 200 ? (res.body as { windows: Record<string, Window[]>; suggestions: Record<string, unknown>[] }) : null;
  }

  const windowAt = (s: { windows: Record<string, Window[]> } | null, sec: number, endSec: number, t0 = T_LIVE) =>
    s?.windows[`${sec}s`].find((w) => Date.parse(w.windowEnd) === t0 + endSec * 1000);

  beforeAll(async () => {
    await boot();
  });

  afterAll(async () => {
    for (const c of sseClients) c.close();
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, env.LIVEPROMO_SCHEMA_PREFIX));
  });

  it('computes windows, percentiles against the streamer baseline, the worst metric, and fires the scripted triggers', async () => {
    // A past session of the same streamer: 20 viewers, 30 comments + 30 likes every minute for 6 minutes.
    const baseEvents = [base.started(0), ...base.enters(20, 1)];
    for (let m = 0; m < 6; m++) baseEvents.push(...base.comments(30, m * 60 + 25), ...base.likes(30, m * 60 + 40));
    baseEvents.push(base.ended(359.5));
    await publish(baseEvents);
    await waitFor('baseline session windows', async () => windowAt(await state('ls-base'), 60, 360, T_BASE), 60_000);

    const port = ((app.getHttpServer() as http.Server).address() as { port: number }).port;
    const sse = await openSse(`http://127.0.0.1:${port}/v1/live-sessions/ls-live/stream?key=${key}`);
    sseClients.push(sse);
    // The live session: minute 0 like the baseline; minute 1 engagement collapses and price questions surge.
    await publish([
      live.started(0),
      ...live.enters(20, 1),
      ...live.comments(30, 25),
      ...live.likes(30, 40),
      ...live.comments(6, 85),
      ...live.classified(8, 90, 'price_question'),
    ]);
    // Classifications travel on their own topic: let them land (watermark 97 s) before the minute closes.
    await waitFor('classified comments applied', async () => {
      const res = await request(app.getHttpServer()).get('/v1/live-sessions/ls-live').set('Authorization', `Bearer ${key}`);
      return res.status === 200 && Date.parse(res.body.watermark as string) === T_LIVE + 97_000;
    }, 60_000);
    // the session list (for consoles): newest event time first, live until it ends
    const list = await request(app.getHttpServer()).get('/v1/live-sessions?limit=5').set('Authorization', `Bearer ${key}`).expect(200);
    expect(list.body.sessions[0]).toMatchObject({ sessionId: 'ls-live', live: true, watermark: new Date(T_LIVE + 97_000).toISOString() });
    await request(app.getHttpServer()).get('/v1/live-sessions?limit=0').set('Authorization', `Bearer ${key}`).expect(400);
    await publish([...live.likes(6, 100), ...live.likes(1, 123)]); // 123 s moves the watermark past 120 s + 2 s lateness
    const s = await waitFor('minute 1 of the live session', async () => {
      const st = await state('ls-live');
      return windowAt(st, 60, 120) && st!.suggestions.length >= 2 ? st : null;
    }, 60_000);

    const m0 = windowAt(s, 60, 60)!;
    expect(m0.metrics).toMatchObject({ concurrentViewers: 20, newViewers: 20, commentsPerMin: 30, likesPerMin: 30, engagementPerViewer: 3 });
    expect(m0.metrics['engagementPerViewer.streamerPercentile']).toBe(50); // equal to all 6 past minutes
    const m1 = windowAt(s, 60, 120)!;
    expect(m1.metrics).toMatchObject({ concurrentViewers: 20, newViewers: 0, commentsPerMin: 6, engagementPerViewer: 0.6, priceQuestionsPerMin: 8, classifiedComments: 8 });
    expect(m1.metrics['engagementPerViewer.prevChange']).toBe(-0.8);
    expect(m1.metrics['engagementPerViewer.streamerPercentile']).toBe(0);
    expect(m1.metrics['newViewers.streamerPercentile']).toBeCloseTo((100 * 2.5) / 6, 3); // 0 vs [20, 0, 0, 0, 0, 0]
    expect(m1.metrics['baseline.streamerSamples']).toBe(6);
    expect(m1.worstMetric).toBe('commentsPerMin');
    const w10 = windowAt(s, 10, 20)!;
    expect(w10.metrics).toMatchObject({ concurrentViewers: 19, newViewers: 10 }); // users entering at 10..19 s

    const byTrigger = Object.fromEntries(s.suggestions.map((x) => [x.trigger as string, x]));
    expect(Object.keys(byTrigger).sort()).toEqual(['engagement_drop', 'price_question_surge']);
    expect(byTrigger.price_question_surge.evidence).toMatchObject({ priceQuestionsPerMin: 8, previous: 0, classifiedComments: 8, windowSec: 60 });
    expect(byTrigger.engagement_drop.evidence).toMatchObject({ engagementPerViewer: 0.6, baselinePercentile: 0, baselineSamples: 6 });
    for (const x of s.suggestions) {
      expect(x.confidence).toBeGreaterThan(0);
      expect(x.expectedUplift).toBe(0); // prior Beta(1,1)
      expect(typeof x.reason).toBe('string');
    }

    // Delivered on Kafka and over server-sent events.
    const onKafka = await readTopic(infra.kafkaBrokers, `${prefix}live.suggestions.v1`, 2);
    expect(onKafka.map((r) => (JSON.parse(r.value) as { payload: { trigger: string } }).payload.trigger).sort()).toEqual(['engagement_drop', 'price_question_surge']);
    await waitFor('suggestions on the SSE stream', () => sse.events.filter((e) => e.event === 'suggestion').length >= 2);
    expect(sse.events.some((e) => e.event === 'metrics' && (e.data.payload as { windowSec: number }).windowSec === 60)).toBe(true);
    sse.close();

    // Operator feedback: accepted price suggestion; the same again is a no-op, a different one a 409.
    const id = byTrigger.price_question_surge.suggestionId as string;
    const fb = await request(app.getHttpServer()).post(`/v1/live-sessions/ls-live/suggestions/${id}/feedback`).set('Authorization', `Bearer ${key}`).send({ decision: 'accepted' }).expect(200);
    expect(fb.body).toMatchObject({ decision: 'accepted', outcomeMeasured: false });
    await request(app.getHttpServer()).post(`/v1/live-sessions/ls-live/suggestions/${id}/feedback`).set('Authorization', `Bearer ${key}`).send({ decision: 'accepted' }).expect(200);
    await request(app.getHttpServer()).post(`/v1/live-sessions/ls-live/suggestions/${id}/feedback`).set('Authorization', `Bearer ${key}`).send({ decision: 'ignored' }).expect(409);
    await request(app.getHttpServer()).post(`/v1/live-sessions/ls-live/suggestions/${id}/feedback`).set('Authorization', `Bearer ${key}`).send({ decision: 'maybe' }).expect(400);
    await request(app.getHttpServer()).get('/v1/live-sessions/ls-live').expect(401);
  });

  it('survives a restart: redelivered events change nothing, no window is lost or published twice, the outcome reaches the bandit', async () => {
    for (const c of sseClients) c.close();
    await app.close();
    await boot();
    const accepted = (await state('ls-live'))!.suggestions.find((x) => x.feedback === 'accepted')!;
    // Everything again (as a replaying producer would), then minutes 2 and 3 recover.
    await publish([...sent.clean.filter((e) => e.liveSessionId === 'ls-live'), ...sent.classified]);
    await publish([...live.comments(30, 145), ...live.likes(29, 160), ...live.comments(30, 205), ...live.likes(30, 220), ...live.likes(1, 243)]);
    const s = await waitFor('minute 3 after the restart', async () => {
      const st = await state('ls-live');
      return windowAt(st, 60, 240) ? st : null;
    }, 60_000);
    expect(windowAt(s, 60, 120)!.metrics).toMatchObject({ commentsPerMin: 6, concurrentViewers: 20 });
    expect(windowAt(s, 60, 180)!.metrics).toMatchObject({ commentsPerMin: 30, likesPerMin: 30, concurrentViewers: 20, newViewers: 0 });
    expect(windowAt(s, 60, 240)!.metrics).toMatchObject({ commentsPerMin: 30, likesPerMin: 30, concurrentViewers: 20 });

    // Every window of the live session was published exactly once.
    const expected = 24 + 4; // 10 s windows up to 240 s, 1 min windows up to 240 s
    const msgs = await readTopic(infra.kafkaBrokers, `${prefix}live.metrics.v1`, 1000, 8000);
    const keys = msgs
      .map((r) => JSON.parse(r.value) as { liveSessionId: string; payload: { windowSec: number; windowEnd: string } })
      .filter((e) => e.liveSessionId === 'ls-live')
      .map((e) => `${e.payload.windowSec}@${(Date.parse(e.payload.windowEnd) - T_LIVE) / 1000}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(expected);
    for (let end = 10; end <= 240; end += 10) expect(keys).toContain(`10@${end}`);
    for (const end of [60, 120, 180, 240]) expect(keys).toContain(`60@${end}`);

    // The accepted strategy's outcome: engagement 0.6 → 3 per viewer (+400%, clipped to +1) → reward 1.
    const after = await waitFor('outcome measured', async () => (await state('ls-live'))!.suggestions.find((x) => x.suggestionId === accepted.suggestionId && x.outcome), 60_000);
    expect(after.outcome).toMatchObject({ engagementChange: 1, conversionChange: null, score: 1, reward: 1 });
    const arms = await request(app.getHttpServer()).get('/v1/bandit/arms?category=programming&trigger=price_question_surge').set('Authorization', `Bearer ${key}`).expect(200);
    expect(arms.body.arms).toEqual([expect.objectContaining({ strategy: accepted.strategy, alpha: 2, beta: 1, pulls: 1, posteriorMean: 2 / 3 })]);
  });
});
