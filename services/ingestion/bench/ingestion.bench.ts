/**
 * Ingestion benchmark: sustained batch ingestion into Kafka (acks=all) over loopback HTTP, against a
 * bare endpoint of the same HTTP stack (createServiceApp: Nest 11 + express 5 + the same middleware and
 * JSON body parser) that parses the batch and answers 202 without touching Kafka — same run, same load.
 *
 *   node -r @swc-node/register services/ingestion/bench/ingestion.bench.ts
 *
 * Load: CLIENTS concurrent keep-alive connections from a worker thread, each posting batches of
 * BATCH events (JSON array, no eventIds: the server derives them) back to back for SECONDS per target.
 * Writes bench/results/ingestion.json.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import http from 'node:http';
import { createServiceApp, PlatformModule } from '@livepromo/service-kit';
import { KafkaBus } from '@livepromo/messaging';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = 3;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const OPERATOR = 'bench-operator-token-000';
const LOAD_AT_START = Math.round(loadavg()[0] * 10) / 10;
const CEILING_PRODUCERS = Number(process.env.BENCH_CEILING_PRODUCERS ?? 3);

/**
 * The library's ceiling: kafkajs producers (idempotent, acks=all, no compression) sending the same events, already
 * serialised as ingestion would publish them, in batches of BATCH, with no HTTP, validation or ids — nothing of ours.
 * Ingestion can never go faster than this, so it bounds the reachable ratio to the bare endpoint.
 */
async function producerCeiling(brokers: string[], topic: string, bodies: string[]): Promise<{ eventsPerSec: number; producers: number; seconds: number }> {
  const kafka = new Kafka({ clientId: 'bench-ceiling', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  await admin.disconnect();
  const receivedAt = new Date().toISOString();
  const batches = bodies.map((b, bi) =>
    (JSON.parse(b) as Record<string, unknown>[]).map((e, i) => ({
      key: `bench:${String(e.liveSessionId)}`,
      value: JSON.stringify({ eventId: `ceiling-${bi}-${i}`, tenantId: 'bench', source: 'generic', schemaVersion: 1, receivedAt, ...e }),
    })),
  );
  const producers = await Promise.all(
    Array.from({ length: CEILING_PRODUCERS }, async () => {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await p.connect();
      return p;
    }),
  );
  let sent = 0;
  const run = async (until: number, count: boolean) => {
    await Promise.all(
      producers.map(async (p, pi) => {
        for (let k = pi; Date.now() < until; k += producers.length) {
          const messages = batches[k % batches.length];
          await p.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: [{ topic, messages }] });
          if (count) sent += messages.length;
        }
      }),
    );
  };
  await run(Date.now() + WARMUP_SECONDS * 1000, false);
  const t0 = Date.now();
  await run(t0 + SECONDS * 1000, true);
  const seconds = (Date.now() - t0) / 1000;
  await Promise.all(producers.map((p) => p.disconnect()));
  const cleanup = kafka.admin();
  await cleanup.connect();
  await cleanup.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await cleanup.disconnect();
  return { eventsPerSec: Math.round(sent / seconds), producers: producers.length, seconds };
}

interface LoadResult {
  events: number;
  requests: number;
  errors: Record<string, number>;
  seconds: number;
  latencyMsP50: number;
  latencyMsP99: number;
}

function makeBatches(n: number): string[] {
  const types = ['live.like', 'live.comment.posted', 'course.viewed', 'live.room.entered', 'order.paid'];
  const out: string[] = [];
  for (let b = 0; b < n; b++) {
    const events = [];
    for (let i = 0; i < BATCH; i++) {
      const k = b * BATCH + i;
      const type = types[k % types.length];
      events.push({
        type,
        occurredAt: new Date(Date.UTC(2026, 10, 28, 12, 0, 0) + k * 37).toISOString(),
        userId: `u-${k % 5000}`,
        streamerId: `s-${k % 40}`,
        liveSessionId: `ls-${k % 12}`,
        courseId: `course-${k % 80}`,
        payload:
          type === 'live.comment.posted'
            ? { text: '这个课多少钱？有优惠券吗' }
            : type === 'order.paid'
              ? { orderId: `o-${k}`, amount: { amountMinor: 19900, currency: 'CNY' } }
              : type === 'live.like'
                ? { count: 1 + (k % 5) }
                : {},
      });
    }
    out.push(JSON.stringify(events));
  }
  return out;
}

/** Worker: CLIENTS loops posting batches to `url` for `seconds`; counts acknowledged events. */
async function loadWorker(): Promise<void> {
  const { url, key, seconds, bodies, countFrom } = workerData as { url: string; key: string; seconds: number; bodies: string[]; countFrom: 'accepted' | 'sent' };
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const u = new URL(url);
  const buffers = bodies.map((b) => Buffer.from(b));
  const post = (body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${key}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const run = async (untilMs: number, record: boolean, res: LoadResult, lat: number[]) => {
    let i = Math.floor(Math.random() * buffers.length);
    while (Date.now() < untilMs) {
      const t0 = performance.now();
      const r = await post(buffers[i++ % buffers.length]);
      if (!record) continue;
      lat.push(performance.now() - t0);
      res.requests++;
      if (r.status === 202) {
        res.events += countFrom === 'accepted' ? (JSON.parse(r.text) as { accepted: number }).accepted : BATCH;
      } else res.errors[r.status] = (res.errors[r.status] ?? 0) + 1;
    }
  };
  const warm: LoadResult = { events: 0, requests: 0, errors: {}, seconds: 0, latencyMsP50: 0, latencyMsP99: 0 };
  const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, () => run(warmUntil, false, warm, [])));
  const result: LoadResult = { events: 0, requests: 0, errors: {}, seconds, latencyMsP50: 0, latencyMsP99: 0 };
  const lat: number[] = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, () => run(started + seconds * 1000, true, result, lat)));
  result.seconds = (Date.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  result.latencyMsP50 = Math.round(lat[Math.floor(lat.length * 0.5)] ?? 0);
  result.latencyMsP99 = Math.round(lat[Math.floor(lat.length * 0.99)] ?? 0);
  agent.destroy();
  parentPort!.postMessage(result);
}

function runLoad(url: string, key: string, bodies: string[], countFrom: 'accepted' | 'sent'): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, {
      workerData: { url, key, seconds: SECONDS, bodies, countFrom },
      execArgv: ['-r', '@swc-node/register'],
    });
    w.once('message', (m: LoadResult) => resolve(m));
    w.once('error', reject);
  });
}

@Controller('bare')
class BareController {
  /** Same stack, no Kafka: the JSON array is parsed by the same body parser and answered 202. */
  @Post()
  @HttpCode(202)
  accept(@Body() body: unknown): { accepted: number } {
    return { accepted: Array.isArray(body) ? body.length : 0 };
  }
}

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const prefix = `bench${Date.now().toString(36)}_`;
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    KAFKA_BROKERS: brokers.join(','),
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'warn',
    LIVEPROMO_TOPIC_PREFIX: prefix,
    LIVEPROMO_SCHEMA_PREFIX: prefix,
    KAFKA_PARTITIONS: '3',
    OPERATOR_TOKEN: OPERATOR,
    LIVEPROMO_INSECURE_DEV: '1', // distributed mode without SECRET_ENCRYPTION_KEY (issue #18 safe defaults)
    RATE_LIMIT_EVENTS_PER_SEC: '10000000',
    RATE_LIMIT_BURST: '10000000',
  };
  const bodies = makeBatches(8);
  const bytesPerBatch = Math.round(bodies.reduce((a, b) => a + Buffer.byteLength(b), 0) / bodies.length);

  // 1. bare endpoint
  @Module({
    imports: [PlatformModule.forRoot({ service: 'ingestion', defaultPort: 0, overrides: { env: { ...env, LIVEPROMO_SCHEMA_PREFIX: `${prefix}bare_` } } })],
    controllers: [BareController],
  })
  class BareModule {}
  const bare = (await createServiceApp(BareModule, { ...manifest, configureBody: undefined })).app;
  await bare.listen(0, '127.0.0.1');
  const bareUrl = `http://127.0.0.1:${(bare.getHttpServer().address() as AddressInfo).port}/v1/bare`;
  process.stderr.write(`bare endpoint: ${CLIENTS} clients × ${BATCH}-event batches (${bytesPerBatch} bytes) for ${SECONDS} s\n`);
  const bareResult = process.env.BENCH_SKIP_BARE ? { events: 1, seconds: 1, requests: 0, errors: {}, latencyMsP50: 0, latencyMsP99: 0 } : await runLoad(bareUrl, 'none', bodies, 'sent');
  await bare.close();

  // 2. ingestion into Kafka (acks=all)
  const { app } = await createServiceApp(AppModule.register({ env }), manifest);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const created = await fetch(`${base}/v1/admin/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-operator-token': OPERATOR },
    body: JSON.stringify({ tenantId: 'bench', name: 'bench' }),
  });
  if (created.status !== 201) throw new Error(`could not create the bench tenant: ${created.status} ${await created.text()}`);
  const key = ((await created.json()) as { apiKey: { key: string } }).apiKey.key;
  process.stderr.write(`ingestion → Kafka (acks=all): same load for ${SECONDS} s\n`);
  const ingest = await runLoad(`${base}/v1/events/batch`, key, bodies, 'accepted');
  await app.close();

  // 3. the library's ceiling on the same machine, same run
  process.stderr.write(`kafkajs producer ceiling: ${CEILING_PRODUCERS} producers, same events pre-serialised, for ${SECONDS} s\n`);
  const ceiling = await producerCeiling(brokers, `${prefix}ceiling`, bodies);

  const cleanup = new KafkaBus({ service: 'ingestion', brokers, topicPrefix: prefix });
  await cleanup.deleteOwnTopics().catch(() => undefined);
  await cleanup.close();
  for (const p of [prefix, `${prefix}bare_`]) await dropSchema(env.DATABASE_URL!, schemaFor('ingestion', p)).catch(() => undefined);

  const ingestRate = ingest.events / ingest.seconds;
  const bareRate = bareResult.events / bareResult.seconds;
  const results = {
    service: 'ingestion',
    date: new Date().toISOString(),
    cores: cpus().length,
    loadAverage1mAtEnd: Math.round(loadavg()[0] * 10) / 10,
    loadAverage1mAtStart: LOAD_AT_START,
    machine: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    method:
      `${CLIENTS} concurrent keep-alive HTTP clients (worker thread, loopback) posting JSON batches of ${BATCH} events (~${bytesPerBatch} bytes, no eventIds) for ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, per target. ` +
      'ingestion: POST /v1/events/batch with auth, rate limit (Redis), envelope validation, deterministic ids, one acks=all publish per batch, 202 after the ack; events counted from the 202 answers. ' +
      'bare: same createServiceApp stack, a route that parses the same JSON and answers 202. ratio = ingestion events/s ÷ bare events/s. ' +
      'The Kafka broker runs on the same cores; loadAverage shows how busy the machine was (other processes included).',
    ingestion: { eventsPerSec: Math.round(ingestRate), requests: ingest.requests, errors: ingest.errors, latencyMsP50: ingest.latencyMsP50, latencyMsP99: ingest.latencyMsP99 },
    bare: { eventsPerSec: Math.round(bareRate), requests: bareResult.requests, errors: bareResult.errors, latencyMsP50: bareResult.latencyMsP50, latencyMsP99: bareResult.latencyMsP99 },
    ratio: Math.round((ingestRate / bareRate) * 1000) / 1000,
    kafkajsProducerCeiling: {
      ...ceiling,
      ratioToBare: Math.round((ceiling.eventsPerSec / bareRate) * 1000) / 1000,
      ingestionShareOfCeiling: Math.round((ingestRate / ceiling.eventsPerSec) * 1000) / 1000,
      how: 'kafkajs producers alone (idempotent, acks=all, no compression) sending the same events pre-serialised in batches of the same size, no HTTP and none of our code: the fastest ingestion could ever publish on this machine with this library',
    },
    targets: { eventsPerSec: 20000, ratio: 0.5 },
  };
  const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ingestion.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.exit(0);
}

if (isMainThread) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
} else {
  void loadWorker();
}
