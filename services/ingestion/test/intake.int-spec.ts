import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { KafkaBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { signWebhook } from '../src/intake/domain/webhook-signature';
import { importFile } from '../src/cli/file-importer';
import { httpBatchSender } from '../src/cli/http-batch-sender';
import { importMappingSchema } from '../src/imports/domain/import-mapping';
import { MAPPINGS_DIR } from '../src/imports/infrastructure/mapping-catalog';
import { SwitchableBus } from './switchable-bus';

const OPERATOR = 'operator-token-for-tests-0001';

function like(i: number, extra: Record<string, unknown> = {}) {
  return { type: 'live.like', occurredAt: `2026-11-28T10:00:${String(i % 60).padStart(2, '0')}Z`, userId: `u-${i}`, liveSessionId: 'ls-1', payload: { count: 1 }, ...extra };
}

/** A small REES46-shaped export: `good` valid rows plus one unknown event type and one bad price. */
function storeCsv(good: number, tag: string): string {
  const rows = ['event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session'];
  const types = ['view', 'cart', 'purchase'];
  for (let i = 0; i < good; i++) {
    rows.push(`2019-10-01 00:00:${String(i % 60).padStart(2, '0')} UTC,${types[i % 3]},${1000 + i},20530,"electronics.smartphone",brand,${(i + 1) * 1.25},${tag}${i},sess-${i}`);
  }
  rows.push('2019-10-01 00:01:00 UTC,wishlist,1,2,,b,1.00,9,s');
  rows.push('2019-10-01 00:01:01 UTC,cart,1,2,,b,cheap,9,s');
  return `${rows.join('\n')}\n`;
}

describeWithInfra('ingestion intake over real Kafka, Postgres and Redis', (infra) => {
  const prefix = uniquePrefix('ingest');
  const schema = schemaFor('ingestion', prefix.replace(/[^a-z0-9_]/g, '_'));
  const rawTopic = `${prefix}ingest.raw.v1`;
  let app: INestApplication;
  let bus: SwitchableBus;
  let url: string;
  let key: string;
  let keyId: string;
  let webhookSecret: string;
  /** Every eventId a 202 reported accepted: the raw topic must hold exactly these, once each. */
  const accepted: string[] = [];
  const http = () => request(app.getHttpServer());
  const admin = (path: string, body: object = {}) => http().post(`/v1/admin${path}`).set('X-Operator-Token', OPERATOR).send(body);
  const record = (res: request.Response) => {
    for (const r of res.body.results as { status: string; eventId?: string; duplicateInBatch?: boolean }[]) {
      if (r.status === 'accepted' && !r.duplicateInBatch) accepted.push(r.eventId!);
    }
  };
  const batch = (body: unknown, k = key) => http().post('/v1/events/batch').set('Authorization', `Bearer ${k}`).send(body as object);

  beforeAll(async () => {
    bus = new SwitchableBus(new KafkaBus({ service: 'ingestion', brokers: infra.kafkaBrokers, topicPrefix: prefix, partitionsOverride: 2 }));
    const env = serviceTestEnv(infra, prefix, {
      OPERATOR_TOKEN: OPERATOR,
      PUBLISH_TIMEOUT_MS: '3000',
      MAX_BATCH_EVENTS: '50',
      RATE_LIMIT_EVENTS_PER_SEC: '20',
      RATE_LIMIT_BURST: '200',
      IMPORT_BATCH_EVENTS: '20',
      SECRET_ENCRYPTION_KEY: 'test-encryption-key-0001',
    });
    ({ app } = await createServiceApp(AppModule.register({ env, bus }), manifest));
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const created = await admin('/tenants', { tenantId: 'shop-a', name: 'Shop A' }).expect(201);
    key = created.body.apiKey.key;
    keyId = created.body.apiKey.keyId;
    webhookSecret = (await admin('/tenants/shop-a/webhook-secret').expect(201)).body.webhookSecret;
  });

  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await dropSchema(infra.databaseUrl, schema);
  });

  it('refuses admin calls without the operator token (401) or with a wrong one (403)', async () => {
    await http().post('/v1/admin/tenants').send({ tenantId: 'x1', name: 'x' }).expect(401);
    const res = await http().post('/v1/admin/tenants').set('X-Operator-Token', 'wrong-token-wrong-token').send({ tenantId: 'x1', name: 'x' }).expect(403);
    expect(res.body.error.code).toBe('forbidden');
    await admin('/tenants', { tenantId: 'shop-a', name: 'again' }).expect(409);
  });

  it('accepts a JSON batch with 202 after Kafka acknowledged it, filling eventId and tenant', async () => {
    const res = await batch([like(1), like(2, { eventId: 'given-id-1' })]).expect(202);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 0 });
    expect(res.body.results[0].eventId).toMatch(/^d-/);
    expect(res.body.results[1].eventId).toBe('given-id-1');
    record(res);
  });

  it('lands the good items of a batch where some are bad, rejecting each bad one with its code', async () => {
    const res = await batch([
      like(3),
      like(4, { occurredAt: 1764324000 }), // wrong type
      like(5, { userId: { id: 1 } }), // wrong type
      like(6, { tenantId: 'someone-else' }), // another tenant: rejected, never rewritten
      'not an object',
      like(7),
    ]).expect(202);
    expect(res.body.accepted).toBe(2);
    expect(res.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'accepted',
      'schema_violation',
      'schema_violation',
      'tenant_mismatch',
      'schema_violation',
      'accepted',
    ]);
    record(res);
  });

  it('reads NDJSON; a malformed line is rejected alone and the others land', async () => {
    const body = `${JSON.stringify(like(8))}\n{"type": oops\n\n${JSON.stringify(like(9))}\n`;
    const res = await http().post('/v1/events/batch').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/x-ndjson').send(body).expect(202);
    expect(res.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual(['accepted', 'malformed_json', 'accepted']);
    record(res);
  });

  it('rejects only the item nested deeper than 64 levels (json_too_deep), or holding \\u0000 (invalid_text); the rest land', async () => {
    const deep = JSON.parse('['.repeat(3000) + ']'.repeat(3000)) as unknown;
    const res = await batch([like(40), like(41, { payload: { count: 1, extra: deep } }), like(42, { payload: { count: 1, note: 'a\u0000b' } }), like(43)]).expect(202);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 2 });
    expect(res.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual(['accepted', 'json_too_deep', 'invalid_text', 'accepted']);
    record(res);
    // the same in NDJSON, line by line
    const nd = `${JSON.stringify(like(44))}\n${JSON.stringify(like(45, { payload: { x: deep } }))}\n`;
    const ndRes = await http().post('/v1/events/batch').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/x-ndjson').send(nd).expect(202);
    expect(ndRes.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual(['accepted', 'json_too_deep']);
    record(ndRes);
    // one event: 400 naming the limit, never 500 or 503 + Retry-After
    const one = await http().post('/v1/events').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send(JSON.stringify(like(46, { eventId: 'deep-1', payload: { x: deep } })));
    expect(one.status).toBe(400);
    expect(one.headers['retry-after']).toBeUndefined();
    expect(one.body.error).toMatchObject({ code: 'json_too_deep', details: { maxDepth: 64 }, correlationId: expect.any(String) });
    const nul = await http().post('/v1/events').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send(JSON.stringify(like(47, { userId: 'u\u0000x' })));
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('invalid_text');
  });

  it('counts in-batch duplicates apart from accepted and rejected (they add up to the items sent)', async () => {
    const res = await batch([like(50, { eventId: 'dup-1' }), like(51, { eventId: 'dup-1' }), like(52, { eventId: 'dup-2' }), like(53, { type: '' })]).expect(202);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 1 });
    expect(res.body.accepted + res.body.duplicates + res.body.rejected).toBe(4);
    record(res);
    // ingestion's rejections are queryable (next to cleaning's GET /v1/rejections/stats)
    const rej = await http().get('/v1/ingestion/rejections').set('Authorization', `Bearer ${key}`).expect(200);
    const count = (reason: string) => (rej.body.byReason as { reason: string; count: number }[]).find((r) => r.reason === reason)?.count;
    expect(count('json_too_deep')).toBe(2);
    expect(count('invalid_text')).toBe(1);
    expect(count('tenant_mismatch')).toBe(1);
    expect(rej.body.total).toBe((rej.body.byReason as { count: number }[]).reduce((a, r) => a + r.count, 0));
  });

  it('answers 400 malformed_json for a JSON body that does not parse, and publishes nothing', async () => {
    const res = await http().post('/v1/events/batch').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send('[{"type":').expect(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('answers 400 validation_failed when no item of the batch is acceptable, with per-item reasons', async () => {
    const res = await batch([like(10, { type: '' }), like(11, { occurredAt: 'yesterday' })]).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.results.map((r: { code: string }) => r.code)).toEqual(['schema_violation', 'schema_violation']);
  });

  it('answers 413 for a body over 1 MiB and for more events than the batch limit', async () => {
    const big = [like(12, { payload: { text: 'x'.repeat(1024 * 1024) } })];
    const res = await batch(big).expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const many = Array.from({ length: 51 }, (_, i) => like(100 + i));
    expect((await batch(many).expect(413)).body.error.details).toEqual({ maxEvents: 50, events: 51 });
  });

  it('answers 415 for a content type it does not read', async () => {
    const res = await http().post('/v1/events/batch').set('Authorization', `Bearer ${key}`).set('Content-Type', 'text/csv').send('a,b\n1,2').expect(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    await http().post('/v1/events').set('Authorization', `Bearer ${key}`).set('Content-Type', 'text/plain').send('{}').expect(415);
  });

  it('accepts one event on POST /v1/events and explains a bad one', async () => {
    const ok = await http().post('/v1/events').set('Authorization', `Bearer ${key}`).send(like(13)).expect(202);
    accepted.push(ok.body.eventId);
    const bad = await http().post('/v1/events').set('Authorization', `Bearer ${key}`).send(like(14, { occurredAt: 12 })).expect(400);
    expect(bad.body.error.details.reason).toBe('schema_violation');
  });

  it('answers 401 for an unknown key, and for a key once it is revoked; a rotated key works at once', async () => {
    expect((await batch([like(15)], 'lp_shop-a_not-a-key').expect(401)).body.error.code).toBe('unauthorized');
    const extra = await admin('/tenants/shop-a/keys', { label: 'to revoke' }).expect(201);
    await batch([like(16)], extra.body.key)
      .expect(202)
      .then(record);
    await admin(`/tenants/shop-a/keys/${extra.body.keyId}/revoke`).expect(200);
    await batch([like(17)], extra.body.key).expect(401);
    const rotated = await admin(`/tenants/shop-a/keys/${keyId}/rotate`).expect(201);
    await batch([like(18)], key).expect(401);
    key = rotated.body.issued.key;
    keyId = rotated.body.issued.keyId;
    await batch([like(19)]).expect(202).then(record);
    const keys = await http().get('/v1/admin/tenants/shop-a/keys').set('X-Operator-Token', OPERATOR).expect(200);
    expect(keys.body.filter((k: { status: string }) => k.status === 'active')).toHaveLength(1);
    expect(JSON.stringify(keys.body)).not.toContain(key);
  });

  it('maps a signed Douyin webhook to canonical events', async () => {
    const body = JSON.stringify([
      { event: 'live_comment', msg_id: 'dy-1', create_time: 1764324000, open_id: 'ou-1', room_id: 'room-9', anchor_open_id: 'an-3', content: { comment: '多少钱?' } },
      { event: 'trade_order_paid', msg_id: 'dy-2', create_time: 1764324001, open_id: 'ou-1', room_id: 'room-9', content: { order_id: 'o-1', pay_amount: 19900, product_id: 'py-101' } },
      { event: 'not_a_douyin_event', create_time: 1764324002 },
    ]);
    const ts = Math.floor(Date.now() / 1000);
    const res = await http()
      .post('/v1/webhooks/douyin')
      .set('Content-Type', 'application/json')
      .set('X-Livepromo-Tenant', 'shop-a')
      .set('X-Livepromo-Timestamp', String(ts))
      .set('X-Livepromo-Signature', signWebhook(webhookSecret, ts, body))
      .send(body)
      .expect(202);
    expect(res.body.results.map((r: { status: string; code?: string; eventId?: string }) => r.code ?? r.eventId)).toEqual([
      'douyin:dy-1',
      'douyin:dy-2',
      'unknown_platform_event',
    ]);
    record(res);
  });

  it('refuses a signed webhook replayed within the tolerance window (409 webhook_replayed), publishing it once', async () => {
    const body = JSON.stringify({ type: 'live.like', eventId: 'replay-1', occurredAt: '2026-11-28T10:00:00Z', payload: { count: 1 } });
    const ts = Math.floor(Date.now() / 1000);
    const sig = signWebhook(webhookSecret, ts, body);
    const send = () => http().post('/v1/webhooks/generic').set('Content-Type', 'application/json').set('X-Livepromo-Tenant', 'shop-a').set('X-Livepromo-Timestamp', String(ts)).set('X-Livepromo-Signature', sig).send(body);
    const first = await send().expect(202);
    record(first);
    const again = await send().expect(409);
    expect(again.body.error).toMatchObject({ code: 'webhook_replayed', correlationId: expect.any(String) });
    // a fresh signature (a new delivery) is accepted as usual
    const ts2 = ts + 1;
    const body2 = body.replace('replay-1', 'replay-2');
    const fresh = await http().post('/v1/webhooks/generic').set('Content-Type', 'application/json').set('X-Livepromo-Tenant', 'shop-a').set('X-Livepromo-Timestamp', String(ts2)).set('X-Livepromo-Signature', signWebhook(webhookSecret, ts2, body2)).send(body2).expect(202);
    record(fresh);
  });

  it('answers 401 invalid_signature for a bad signature and 401 stale_timestamp for an old one, publishing nothing', async () => {
    const body = JSON.stringify({ type: 'live.like', occurredAt: '2026-11-28T10:00:00Z', payload: { count: 1 } });
    const ts = Math.floor(Date.now() / 1000);
    const send = (t: number, sig: string) =>
      http().post('/v1/webhooks/generic').set('Content-Type', 'application/json').set('X-Livepromo-Tenant', 'shop-a').set('X-Livepromo-Timestamp', String(t)).set('X-Livepromo-Signature', sig).send(body);
    const bad = await send(ts, signWebhook('another-secret', ts, body)).expect(401);
    expect(bad.body.error).toMatchObject({ code: 'invalid_signature', details: { reason: 'bad_signature' } });
    const tampered = await send(ts, signWebhook(webhookSecret, ts, body.replace('1}', '2}'))).expect(401);
    expect(tampered.body.error.code).toBe('invalid_signature');
    const old = ts - 3600;
    const stale = await send(old, signWebhook(webhookSecret, old, body)).expect(401);
    expect(stale.body.error.code).toBe('stale_timestamp');
    await http().post('/v1/webhooks/myspace').set('Content-Type', 'application/json').send(body).expect(404);
  });

  it('answers 503 with Retry-After, never 202, when Kafka is unreachable, and 202 again once it is back', async () => {
    bus.kafkaDown = true;
    try {
      const res = await batch([like(20), like(21)]).expect(503);
      expect(res.body.error.code).toBe('unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      bus.kafkaDown = false;
    }
    await batch([like(22)]).expect(202).then(record);
  });

  it('pseudonymises user ids for a tenant that asked for it, before publishing', async () => {
    const t = await admin('/tenants', { tenantId: 'shop-p', name: 'Private', pseudonymiseUserIds: true }).expect(201);
    const res = await batch([like(23, { userId: 'alice@example.com', eventId: 'pseudo-1' })], t.body.apiKey.key).expect(202);
    record(res);
    const [msg] = (await readTopic(infra.kafkaBrokers, rawTopic, accepted.length, 20000)).filter((m) => m.value.includes('"pseudo-1"'));
    const e = JSON.parse(msg.value);
    expect(e.tenantId).toBe('shop-p');
    expect(e.userId).toMatch(/^p_[\w-]{24}$/);
    expect(msg.value).not.toContain('alice');
  });

  it('answers 429 with Retry-After once a tenant is over its rate', async () => {
    const t = await admin('/tenants', { tenantId: 'shop-r', name: 'Rate' }).expect(201);
    const bad = Array.from({ length: 50 }, (_, i) => like(200 + i, { occurredAt: 'not-a-time' })); // costs tokens, publishes nothing
    for (let i = 0; i < 4; i++) await batch(bad, t.body.apiKey.key).expect(400);
    const res = await batch(bad, t.body.apiKey.key).expect(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('runs an HTTP import job through a named mapping and accounts for every row', async () => {
    const start = await http()
      .post('/v1/import-jobs?mapping=rees46')
      .set('Authorization', `Bearer ${key}`)
      .set('Content-Type', 'text/csv')
      .send(storeCsv(30, 'job-u'))
      .expect(202);
    const job = await waitFor('import job to finish', async () => {
      const r = await http().get(`/v1/import-jobs/${start.body.jobId}`).set('Authorization', `Bearer ${key}`).expect(200);
      return r.body.status !== 'running' ? r.body : null;
    });
    expect(job.status).toBe('succeeded');
    expect(job.counts).toEqual({ read: 32, accepted: 30, rejected: 2, rejectedByReason: { unmapped_value: 1, format_violation: 1 } });
    expect(job.sampleRejects.map((r: { line: number }) => r.line)).toEqual([32, 33]);
    // another tenant cannot see it
    const other = await admin('/tenants', { tenantId: 'shop-o', name: 'Other' }).expect(201);
    await http().get(`/v1/import-jobs/${start.body.jobId}`).set('Authorization', `Bearer ${other.body.apiKey.key}`).expect(404);
  });

  it('imports a file with the CLI importer, resumes after an interruption and sends nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-import-'));
    const file = join(dir, 'store.csv');
    writeFileSync(file, storeCsv(50, 'cli-u'));
    const mapping = importMappingSchema.parse(JSON.parse(readFileSync(join(MAPPINGS_DIR, 'rees46.json'), 'utf8')));
    const send = httpBatchSender({ url, key });
    const sent: string[] = [];
    let calls = 0;
    const common = { file, tenantId: 'shop-a', format: 'csv' as const, mapping, batchSize: 20, checkpointPath: join(dir, 'cp.json'), rejectsPath: join(dir, 'rejects.jsonl') };
    await expect(
      importFile({
        ...common,
        send: async (events, stream) => {
          if (++calls === 2) throw new Error('interrupted');
          sent.push(...events.map((e) => String(e.eventId)));
          return send(events, stream);
        },
      }),
    ).rejects.toThrow('interrupted');
    const summary = await importFile({
      ...common,
      send: async (events, stream) => {
        sent.push(...events.map((e) => String(e.eventId)));
        return send(events, stream);
      },
    });
    expect(summary).toMatchObject({ read: 52, accepted: 50, rejected: 2, rejectedByReason: { unmapped_value: 1, format_violation: 1 }, resumedFromLine: 21 });
    expect(new Set(sent).size).toBe(50);
    expect(sent).toHaveLength(50);
    accepted.push(...sent);
  });

  it('leaves on ingest.raw.v1 exactly the events it acknowledged, each once (nothing lost, nothing doubled)', async () => {
    // the import job's 30 events are published too
    const jobEvents = 30;
    const all = await readTopic(infra.kafkaBrokers, rawTopic, accepted.length + jobEvents + 1, 8000);
    const ids = all.map((m) => JSON.parse(m.value).eventId as string);
    expect(ids).toHaveLength(accepted.length + jobEvents);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of accepted) expect(ids).toContain(id);
    for (const m of all) expect(JSON.parse(m.value).tenantId).not.toBe('someone-else');
  });
});
