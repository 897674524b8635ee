import { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, Producer } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, grantTestKey, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import Redis from 'ioredis';
import { rawEventSchema } from '@livepromo/contracts';
import { AppModule } from '../src/app.module';
import { CleanBatchUseCase } from '../src/cleaning/application/clean-batch.usecase';
import { manifest } from '../src/service.manifest';
import { iso, rawFactory, RawInput, toMessage } from './raw-events.fixture';

interface CleanOut {
  eventId: string;
  type: string;
  occurredAt: string;
  late?: boolean;
  payload: Record<string, unknown>;
}

describeWithInfra('cleaning over real Kafka, Redis and Postgres', (infra) => {
  const prefix = uniquePrefix('cleaning');
  const tenant = `t-${prefix.slice(1, 12).replace(/_/g, '')}`;
  const base = Math.floor((Date.now() - 60_000) / 1000) * 1000;
  const raw = rawFactory(tenant, prefix, base);
  const env = (extra: Record<string, string> = {}) =>
    serviceTestEnv(infra, prefix, {
      MAX_EVENT_BYTES: '4096',
      TEST_ACCOUNTS: `${tenant}:test-user`,
      BOT_RATE_MAX: '5',
      BOT_REPEAT_MAX: '2',
      BOT_LIKE_MAX: '100',
      FX_TO_CNY: 'USD=7.1',
      DEDUP_WINDOW_MS: '600000',
      ...extra,
    });
  let app: INestApplication;
  let key: string;
  let producer: Producer;
  const http = () => request(app.getHttpServer());
  const topic = (t: string) => `${prefix}${t}`;

  async function boot(extra: Record<string, string> = {}): Promise<void> {
    ({ app } = await createServiceApp(AppModule.register({ env: env(extra) }), manifest));
    key ??= await grantTestKey(app.get(MessageBus), tenant);
    await waitFor(
      'the tenant key to resolve',
      async () => (await http().get('/v1/dlq').set('Authorization', `Bearer ${key}`)).status === 200,
    );
  }

  const send = (messages: { key: string | null; value: string }[]) => producer.send({ topic: topic('ingest.raw.v1'), acks: -1, messages });

  // --- the stream -------------------------------------------------------------------------
  const sessionStart = base + 5_000;
  const ok = {
    // the same instant written at +08:00
    orderPaid: raw('order.paid', {
      occurredAt: `${iso(base + 8 * 3_600_000).slice(0, 19)}+08:00`,
      payload: { orderId: 'o-1', amount: '199.90' },
    }),
    cartUsd: raw('cart.added', { payload: { price: { amount: 19.99, currency: 'USD' } } }),
    giftMinor: raw('live.gift.sent', { liveSessionId: 'ls-1', payload: { value: { amountMinor: 1000, currency: 'CNY' } } }),
    orderCreated: raw('order.created', { payload: { orderId: 'o-2', price: 199.9 } }),
    comment: raw('live.comment.posted', { liveSessionId: 'ls-1', payload: { text: '  Ｐｙｔｈｏｎ 多少钱？\u200B ' } }),
    started: raw('live.session.started', {
      userId: undefined,
      streamerId: 's-1',
      liveSessionId: 'ls-1',
      occurredAt: iso(sessionStart),
      receivedAt: iso(sessionStart + 100),
      payload: { title: 'Ｐｙｔｈｏｎ 七天', scheduledEndAt: sessionStart + 7_200_000 },
    }),
    late: raw('course.viewed', { occurredAt: iso(base - 3_600_000), receivedAt: iso(base), payload: { durationSec: 10 } }),
  };

  const dupId: RawInput = { ...ok.orderPaid };
  const dupFp = { ...ok.orderCreated, eventId: `${ok.orderCreated.eventId}-resent` };
  const testAccount = raw('course.searched', { userId: 'test-user', payload: { query: 'python' } });
  const rate = Array.from({ length: 7 }, (_, i) =>
    raw('live.product.clicked', { userId: 'clicker', liveSessionId: 'ls-bot', occurredAt: iso(base + i * 500), payload: { position: i } }),
  );
  const link = raw('live.comment.posted', { userId: 'spammer', liveSessionId: 'ls-bot', payload: { text: '免费资料 加微信 abc12345' } });
  const repeated = ['c1', 'c2', 'c3'].map((u, i) =>
    raw('live.comment.posted', { userId: u, liveSessionId: 'ls-bot', occurredAt: iso(base + i * 1000), payload: { text: '666' } }),
  );
  const likes = [60, 50].map((count, i) =>
    raw('live.like', { userId: 'liker', liveSessionId: 'ls-bot', occurredAt: iso(base + i * 3000), payload: { count } }),
  );

  const bad = {
    schema: raw('order.paid', { payload: { amount: 10 } }),
    unknownType: raw('foo.bar', { payload: {} }),
    size: raw('live.comment.posted', { liveSessionId: 'ls-2', payload: { text: 'x', junk: 'y'.repeat(5000) } }),
    format: raw('order.paid', { payload: { orderId: 'o-3', amount: 'lots' } }),
    negative: raw('order.refunded', { payload: { orderId: 'o-4', amount: -5 } }),
    watch: raw('live.room.left', {
      liveSessionId: 'ls-1',
      occurredAt: iso(sessionStart + 60_000),
      receivedAt: iso(sessionStart + 61_000),
      payload: { watchSec: 600 },
    }),
    tooLate: raw('course.viewed', { occurredAt: iso(base - 10 * 24 * 3_600_000), receivedAt: iso(base), payload: {} }),
    future: raw('course.viewed', { occurredAt: iso(base + 3_600_000), receivedAt: iso(base), payload: {} }),
    currency: raw('order.paid', { payload: { orderId: 'o-5', amount: { amount: 5, currency: 'GBP' } } }),
    source: raw('course.viewed', { source: 'myspace', payload: {} }),
  };
  const EXPECTED_CLEAN = 7 + 5 + 2 + 1;

  beforeAll(async () => {
    const kafka = new Kafka({ clientId: 'cleaning-int', brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    await boot();
    await send([
      ...Object.values(ok).map(toMessage),
      toMessage(dupId),
      toMessage(dupFp),
      toMessage(testAccount),
      ...rate.map(toMessage),
      toMessage(link),
      ...repeated.map(toMessage),
      ...likes.map(toMessage),
      ...Object.values(bad).map(toMessage),
      { key: tenant, value: 'not json{' },
    ]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor('cleaning', prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  let clean: CleanOut[] = [];

  it('publishes exactly the valid, unique, human events to events.clean.v1, normalised', async () => {
    const out = await readTopic(infra.kafkaBrokers, topic('events.clean.v1'), EXPECTED_CLEAN, 30_000);
    clean = out.map((m) => JSON.parse(m.value) as CleanOut);
    expect(clean).toHaveLength(EXPECTED_CLEAN);
    expect(new Set(clean.map((e) => e.eventId)).size).toBe(EXPECTED_CLEAN);
    const by = (id: string) => clean.find((e) => e.eventId === id);

    // timestamps: +08:00 → UTC Z with ms; payload epoch ms → ISO
    expect(by(ok.orderPaid.eventId)?.occurredAt).toBe(iso(base));
    expect(by(ok.started.eventId)?.payload.scheduledEndAt).toBe(iso(sessionStart + 7_200_000));
    // money: decimal string, {amount, currency}, {amountMinor}, bare number → integer minor units, currency kept
    expect(by(ok.orderPaid.eventId)?.payload.amount).toEqual({ amountMinor: 19990, currency: 'CNY' });
    expect(by(ok.cartUsd.eventId)?.payload.price).toEqual({ amountMinor: 1999, currency: 'USD' });
    expect(by(ok.giftMinor.eventId)?.payload.value).toEqual({ amountMinor: 1000, currency: 'CNY' });
    expect(by(ok.orderCreated.eventId)?.payload.price).toEqual({ amountMinor: 19990, currency: 'CNY' });
    // text: NFKC, zero-width removed, trimmed
    expect(by(ok.comment.eventId)?.payload.text).toBe('Python 多少钱?');
    expect(by(ok.started.eventId)?.payload.title).toBe('Python 七天');
    // late within the allowed lateness: accepted and marked
    expect(by(ok.late.eventId)?.late).toBe(true);
    expect(by(ok.orderPaid.eventId)?.late).toBeUndefined();
  });

  it('dead-letters every invalid event with its reason code and the original bytes, browsable per tenant', async () => {
    const expected: Record<string, string> = {
      [bad.schema.eventId]: 'schema_violation',
      [bad.unknownType.eventId]: 'unknown_type',
      [bad.size.eventId]: 'size_violation',
      [bad.format.eventId]: 'format_violation',
      [bad.negative.eventId]: 'impossible_value',
      [bad.watch.eventId]: 'impossible_value',
      [bad.tooLate.eventId]: 'too_late',
      [bad.future.eventId]: 'future_timestamp',
      [bad.currency.eventId]: 'unknown_currency',
      [bad.source.eventId]: 'unknown_source',
    };
    const res = await waitFor('ten dead letters for the tenant', async () => {
      const r = await http().get('/v1/dlq?limit=100').set('Authorization', `Bearer ${key}`).expect(200);
      return r.body.count >= 10 ? r : null;
    });
    const items = res.body.items as { eventId: string; reason: string; originalBase64: string; original: { eventId: string } }[];
    expect(Object.fromEntries(items.map((i) => [i.eventId, i.reason]))).toEqual(expected);
    const size = items.find((i) => i.eventId === bad.size.eventId)!;
    expect(Buffer.from(size.originalBase64, 'base64').toString('utf8')).toBe(JSON.stringify(bad.size));
    expect(size.original.eventId).toBe(bad.size.eventId);

    // paging with the cursor walks all of them exactly once
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await http()
        .get(`/v1/dlq?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        .set('Authorization', `Bearer ${key}`)
        .expect(200);
      paged.push(...(page.body.items as { id: string }[]).map((i) => i.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(paged.sort()).toEqual((items as unknown as { id: string }[]).map((i) => i.id).sort());

    // the same letters are on events.dlq.v1 (plus the tenant-less malformed JSON one)
    const dlq = (await readTopic(infra.kafkaBrokers, topic('events.dlq.v1'), 11, 20_000)).map(
      (m) => JSON.parse(m.value) as { reason: string; eventId?: string },
    );
    expect(dlq.map((l) => l.reason).sort()).toEqual(
      [...Object.values(expected).filter((r) => r !== 'unknown_source'), 'schema_violation', 'malformed_json'].sort(),
    );
    const ds = app.get(DataSource);
    const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM dead_letter WHERE reason = 'malformed_json'`);
    expect(n).toBe(1);
  });

  it('counts duplicates, test accounts and bot traffic instead of publishing them', async () => {
    const stats = await waitFor('rejection stats to include the discards', async () => {
      const r = await http()
        .get(`/v1/rejections/stats?from=${encodeURIComponent(iso(Date.now() - 3_600_000))}`)
        .set('Authorization', `Bearer ${key}`)
        .expect(200);
      return r.body.total >= 18 ? r.body : null;
    });
    const count = (reason: string) =>
      (stats.byReason as { reason: string; count: number }[]).filter((r) => r.reason === reason).reduce((s, r) => s + r.count, 0);
    expect(count('duplicate_event_id')).toBe(1);
    expect(count('duplicate_fingerprint')).toBe(1);
    expect(count('test_account')).toBe(1);
    expect(count('bot_traffic')).toBe(5);
    expect(count('impossible_value')).toBe(2);
    expect(stats.total).toBe(8 + 10);
    expect(stats.how).toMatch(/per consumed message/);

    const bots = await http().get('/v1/sessions/ls-bot/bot-traffic').set('Authorization', `Bearer ${key}`).expect(200);
    expect(bots.body).toMatchObject({
      liveSessionId: 'ls-bot',
      botEvents: 5,
      bySignal: [
        { signal: 'like_flood', count: 1, users: 1 },
        { signal: 'link_spam', count: 1, users: 1 },
        { signal: 'rate', count: 2, users: 1 },
        { signal: 'repeated_comment', count: 1, users: 1 },
      ],
    });

    // the same totals are announced on events.quality.v1 for ROI (cumulative: the largest one is the truth)
    const notices = await waitFor('a bot-traffic notice with all 5 bot events', async () => {
      const out = (await readTopic(infra.kafkaBrokers, topic('events.quality.v1'), 50, 4_000)).map(
        (m) =>
          JSON.parse(m.value) as {
            eventId: string;
            type: string;
            tenantId: string;
            liveSessionId: string;
            payload: Record<string, unknown>;
          },
      );
      return out.some((n) => n.payload.botEventsTotal === 5) ? out : null;
    });
    const last = notices.find((n) => n.payload.botEventsTotal === 5)!;
    expect(last).toMatchObject({ type: 'session.bot_traffic.counted', tenantId: tenant, liveSessionId: 'ls-bot', eventId: 'bot-ls-bot-5' });
    expect(last.payload).toEqual({
      botEventsTotal: 5,
      botUsersTotal: 4,
      bySignal: { like_flood: 1, link_spam: 1, rate: 2, repeated_comment: 1 },
      byType: { 'live.comment.posted': 2, 'live.like': 1, 'live.product.clicked': 2 },
    });
    expect(notices.every((n) => n.liveSessionId === 'ls-bot' && Number(n.payload.botEventsTotal) <= 5)).toBe(true);
  });

  it('manages test accounts over REST and honours user erasure', async () => {
    await http()
      .put('/v1/test-accounts')
      .set('Authorization', `Bearer ${key}`)
      .send({ userIds: ['qa-1'] })
      .expect(200, {
        tenantId: tenant,
        managed: ['qa-1'],
        fromEnvironment: ['test-user'],
      });
    await http().delete('/v1/test-accounts/qa-1').set('Authorization', `Bearer ${key}`).expect(204);
    await http().delete('/v1/test-accounts/qa-1').set('Authorization', `Bearer ${key}`).expect(404);

    const now = new Date().toISOString();
    await app
      .get(MessageBus)
      .publish('privacy.erasure.v1', [
        {
          eventId: `erase-${prefix}`,
          tenantId: tenant,
          type: 'user.erased',
          source: 'livepromo',
          occurredAt: now,
          receivedAt: now,
          userId: 'test-user',
          schemaVersion: 1,
          payload: {},
        },
      ]);
    const ds = app.get(DataSource);
    await waitFor("the erased user's rows to go", async () => {
      const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM discarded_event WHERE user_id = 'test-user'`);
      return n === 0;
    });
  });

  it('replays a dead letter after a fix, re-validated and still deduplicated', async () => {
    await app.close();
    await boot({ FX_TO_CNY: 'USD=7.1,GBP=9.1' }); // the fix: a rate for GBP
    const letterId = await waitFor('the unknown_currency letter', async () => {
      const r = await http().get('/v1/dlq?reason=unknown_currency').set('Authorization', `Bearer ${key}`).expect(200);
      return (r.body.items as { id: string }[])[0]?.id;
    });
    const res = await http()
      .post('/v1/dlq/replay')
      .set('Authorization', `Bearer ${key}`)
      .send({ ids: [letterId, 'nope'] })
      .expect(202);
    expect(res.body).toMatchObject({ replayed: [letterId], notFound: ['nope'], notReplayable: [] });
    const out = await readTopic(infra.kafkaBrokers, topic('events.clean.v1'), EXPECTED_CLEAN + 1, 30_000);
    const replayed = out.map((m) => JSON.parse(m.value) as CleanOut).find((e) => e.eventId === bad.currency.eventId);
    expect(replayed?.payload.amount).toEqual({ amountMinor: 500, currency: 'GBP' });

    // replaying it again is a no-op (issue #18: it was re-published and counted twice)
    const duplicatesBefore = async () =>
      ((await http().get('/v1/rejections/stats').set('Authorization', `Bearer ${key}`).expect(200)).body.byReason as { reason: string; count: number }[]).find(
        (x) => x.reason === 'duplicate_event_id',
      )?.count ?? 0;
    const before = await duplicatesBefore();
    const again = await http()
      .post('/v1/dlq/replay')
      .set('Authorization', `Bearer ${key}`)
      .send({ ids: [letterId] })
      .expect(202);
    expect(again.body).toMatchObject({ replayed: [], alreadyReplayed: [letterId] });
    await new Promise((r) => setTimeout(r, 2000));
    expect(await duplicatesBefore()).toBe(before);
    const after = await readTopic(infra.kafkaBrokers, topic('events.clean.v1'), EXPECTED_CLEAN + 2, 3_000);
    expect(after).toHaveLength(EXPECTED_CLEAN + 1);
    // the list hides replayed letters unless asked
    const hidden = await http().get('/v1/dlq?reason=unknown_currency').set('Authorization', `Bearer ${key}`).expect(200);
    expect(hidden.body.count).toBe(0);
    const shown = await http()
      .get('/v1/dlq?reason=unknown_currency&includeReplayed=true')
      .set('Authorization', `Bearer ${key}`)
      .expect(200);
    expect(shown.body.items[0].replayedAt).toEqual(expect.any(String));
  });

  it("does not publish twice when killed between Kafka's ack and the confirmation (recovery probe)", async () => {
    const uc = app.get(CleanBatchUseCase);
    const events = [0, 1, 2].map((i) => raw('course.viewed', { userId: `window-${i}`, payload: { durationSec: i } }));
    const batch = events.map((e, i) => ({
      value: rawEventSchema.parse(e),
      key: null,
      topic: 'ingest.raw.v1' as const,
      partition: 9, // a position no real message has
      offset: String(i),
      raw: Buffer.from(JSON.stringify(e)),
    }));
    expect(await uc.execute(batch)).toMatchObject({ clean: 3 });
    // the crash window: published and acked, but the done-offset never written
    const redis = new Redis(infra.redisUrl);
    await redis.del(`lp:${prefix}cleaning:dedup:done:9`);
    await redis.quit();
    expect(await uc.execute(batch)).toMatchObject({ clean: 0, redone: 3 });
    const out = await readTopic(infra.kafkaBrokers, topic('events.clean.v1'), EXPECTED_CLEAN + 5, 4_000);
    const ids = out.map((m) => (JSON.parse(m.value) as CleanOut).eventId).filter((id) => events.some((e) => e.eventId === id));
    expect(ids.sort()).toEqual(events.map((e) => e.eventId).sort());
  });

  it('refuses requests without a valid key', async () => {
    await http().get('/v1/dlq').expect(401);
    await http().get('/v1/rejections/stats').set('Authorization', 'Bearer nope').expect(401);
  });
});
