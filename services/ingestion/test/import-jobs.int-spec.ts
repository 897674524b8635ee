/**
 * Import jobs over real Kafka, Postgres and Redis (#17 accounting, #18 import parsing class):
 * a hostile 16,000-line CSV (an unbalanced quote on line 2) is imported while the event-loop delay is
 * measured (perf_hooks.monitorEventLoopDelay): no stall > 100 ms, the bad line is one per-row error and
 * every other line is kept; a line nested ~3,000 levels deep is rejected with a reason and the good lines
 * kept; files without a header row, with another delimiter, or lacking a mapped column are refused (422)
 * before any row is sent; imported events are backfill of the job's stream on ingest.raw.v1.
 */
import { INestApplication } from '@nestjs/common';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { KafkaBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';

const OPERATOR = 'operator-token-for-tests-0002';
const HEADER = 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session';

function hostileCsv(lines: number): string {
  const rows = [HEADER, '2019-10-01 00:00:00 UTC,view,1,2,"unbalanced.quote,b,1.00,9,s'];
  for (let i = 1; i < lines; i++) rows.push(`2019-10-01 00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} UTC,view,${1000 + i},2053,electronics.phone,brand,${i}.25,u${i % 500},sess-${i}`);
  return `${rows.join('\n')}\n`;
}

describeWithInfra('import jobs over real Kafka, Postgres and Redis', (infra) => {
  const prefix = uniquePrefix('impjob');
  const schema = schemaFor('ingestion', prefix.replace(/[^a-z0-9_]/g, '_'));
  let app: INestApplication;
  let bus: KafkaBus;
  let key: string;
  const http = () => request(app.getHttpServer());
  const upload = (path: string, body: string, type = 'text/csv') => http().post(path).set('Authorization', `Bearer ${key}`).set('Content-Type', type).send(body);
  const finished = async (jobId: string) => {
    let job: { status: string; counts: { read: number; accepted: number; rejected: number; rejectedByReason: Record<string, number> }; sampleRejects: { line: number; code: string; message: string }[]; progress: Record<string, number | null> } | undefined;
    await waitFor(`job ${jobId} to finish`, async () => {
      job = (await http().get(`/v1/import-jobs/${jobId}`).set('Authorization', `Bearer ${key}`).expect(200)).body;
      return job!.status !== 'running';
    }, 120_000, 200);
    return job!;
  };

  beforeAll(async () => {
    bus = new KafkaBus({ service: 'ingestion', brokers: infra.kafkaBrokers, topicPrefix: prefix, partitionsOverride: 2 });
    const env = serviceTestEnv(infra, prefix, { OPERATOR_TOKEN: OPERATOR, SECRET_ENCRYPTION_KEY: 'test-encryption-key-0002' });
    ({ app } = await createServiceApp(AppModule.register({ env, bus }), manifest));
    await app.listen(0, '127.0.0.1');
    key = (await http().post('/v1/admin/tenants').set('X-Operator-Token', OPERATOR).send({ tenantId: 'shop-i', name: 'Shop I' }).expect(201)).body.apiKey.key;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await dropSchema(infra.databaseUrl, schema);
  });

  it('a hostile 16,000-line CSV never stalls the event loop > 100 ms; the unbalanced quote costs one row, every other line is kept', async () => {
    const body = hostileCsv(16_000);
    // the same measurement while the process idles for 2 s: what the machine's scheduling alone costs (for the log)
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 2000));
    idle.disable();
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const start = await upload('/v1/import-jobs?mapping=rees46', body).expect(202);
    const job = await finished(start.body.jobId);
    h.disable();
    const maxMs = h.max / 1e6;
    process.stderr.write(`[import-jobs] 16,000 hostile lines: event-loop delay max ${maxMs.toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms (idle process: max ${(idle.max / 1e6).toFixed(1)} ms); ${JSON.stringify(job.counts)} ${JSON.stringify(job.progress)}\n`);
    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ read: 16_000, accepted: 15_999, rejected: 1, rejectedByReason: { unbalanced_quote: 1 } });
    expect(job.sampleRejects[0]).toMatchObject({ line: 2, code: 'unbalanced_quote' });
    expect(job.progress).toMatchObject({ totalRows: 16_000, percentDone: 100, etaSec: 0 });
    // < 100 ms as such on a machine quiet enough to measure it (an idle process sees < 30 ms); on a machine so loaded
    // that scheduling alone stalls an idle process, the bound is 100 ms above that noise (logged above)
    const idleMs = idle.max / 1e6;
    expect(maxMs).toBeLessThan(idleMs < 30 ? 100 : 100 + idleMs);
  }, 180_000);

  it('rejects a JSONL line nested ~3,000 levels deep with a reason and keeps the good lines (the job succeeds)', async () => {
    const good = (i: number) => JSON.stringify({ type: 'live.like', occurredAt: '2024-11-28T10:00:00Z', userId: `deep-${i}`, liveSessionId: 'ls-deep', payload: { count: 1 } });
    const deep = `{"type":"live.like","occurredAt":"2024-11-28T10:00:00Z","payload":{"x":${'['.repeat(3000)}${']'.repeat(3000)}}}`;
    const start = await upload('/v1/import-jobs?format=jsonl', [good(1), deep, good(2)].join('\n'), 'application/x-ndjson').expect(202);
    const job = await finished(start.body.jobId);
    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ read: 3, accepted: 2, rejected: 1, rejectedByReason: { json_too_deep: 1 } });
    expect(job.sampleRejects[0]).toMatchObject({ line: 2, code: 'json_too_deep' });
    // the imported events are backfill of the job's stream
    const raw = (await readTopic(infra.kafkaBrokers, `${prefix}ingest.raw.v1`, 16_001, 60_000)).map((m) => JSON.parse(m.value) as { userId?: string; ingest?: unknown });
    expect(raw.find((e) => e.userId === 'deep-1')?.ingest).toEqual({ mode: 'backfill', streamId: start.body.jobId });
  }, 120_000);

  it('refuses, before any row is sent, a file without a header row, a semicolon- or tab-separated file, and one lacking a mapped column (422 with the columns)', async () => {
    const noHeader = await upload('/v1/import-jobs?mapping=rees46', '2019-10-01 00:00:00 UTC,view,1,2,,b,1.00,9,s\n').expect(422);
    expect(noHeader.body.error).toMatchObject({ code: 'no_header_row', details: { reason: 'no_header_row' } });
    const semicolon = await upload('/v1/import-jobs?mapping=rees46', `${HEADER.replace(/,/g, ';')}\n2019-10-01 00:00:00 UTC;view;1;2;;b;1.00;9;s\n`).expect(422);
    expect(semicolon.body.error.code).toBe('wrong_delimiter');
    expect(semicolon.body.error.message).toMatch(/semicolon/);
    const tab = await upload('/v1/import-jobs?mapping=rees46', `${HEADER.replace(/,/g, '\t')}\n`).expect(422);
    expect(tab.body.error.code).toBe('wrong_delimiter');
    const missing = await upload('/v1/import-jobs?mapping=rees46', `${HEADER.replace(',user_session', '')}\n2019-10-01 00:00:00 UTC,view,1,2,,b,1.00,9\n`).expect(422);
    expect(missing.body.error).toMatchObject({ code: 'missing_columns', details: { missing: ['user_session'] } });
    expect(missing.body.error.correlationId).toBeDefined();
  });

  it('takes ?mode=backfill&stream= on the batch API (and refuses an unknown mode)', async () => {
    const ev = { type: 'live.like', occurredAt: '2024-11-28T10:00:00Z', userId: 'bf-batch', liveSessionId: 'ls-bf', payload: { count: 1 } };
    await http().post('/v1/events/batch?mode=backfill&stream=run-7').set('Authorization', `Bearer ${key}`).send([ev]).expect(202);
    const bad = await http().post('/v1/events/batch?mode=history').set('Authorization', `Bearer ${key}`).send([ev]).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
    await waitFor('the backfill event on ingest.raw.v1', async () => {
      const raw = (await readTopic(infra.kafkaBrokers, `${prefix}ingest.raw.v1`, 16_002, 10_000)).map((m) => JSON.parse(m.value) as { userId?: string; ingest?: unknown });
      return JSON.stringify(raw.find((e) => e.userId === 'bf-batch')?.ingest) === JSON.stringify({ mode: 'backfill', streamId: 'run-7' });
    }, 60_000, 500);
  });
});
