/**
 * Cleaning throughput through real Kafka against a bare kafkajs consume→produce pass-through of the
 * same messages, in the same run. Writes bench/results/cleaning.json.
 *
 *   node -r @swc-node/register services/cleaning/bench/cleaning.bench.ts
 *
 * Both sides read N pre-produced messages from a topic with the same partition count and write to
 * another with acks=all, committing offsets after each batch; the clock runs from the first batch
 * handed over to the last message handled (group join excluded). Order: pass-through, cleaning,
 * pass-through; the baseline is the mean of the two pass-through runs.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { partitionKey } from '@livepromo/contracts';
import { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { seededRandom, uniquePrefix } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { CleanBatchUseCase } from '../src/cleaning/application/clean-batch.usecase';
import { manifest } from '../src/service.manifest';
import { rawFactory, RawInput, toMessage } from '../test/raw-events.fixture';

const N = Number(process.env.BENCH_EVENTS ?? 60000);
const PARTITIONS = 3;
/** Chunk size on both sides: pass-through sends and commits per chunk; cleaning's CLEANING_BATCH_SIZE. */
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
/** Partitions handled at the same time, on every side (cleaning's CLEANING_PARTITIONS_CONCURRENTLY). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = uniquePrefix('benchclean');
const kafka = new Kafka({ clientId: 'cleaning-bench', brokers, logLevel: logLevel.NOTHING });

/** Mostly valid live-commerce traffic with a few duplicates and invalid events, as a real feed has. */
function stream(): { key: string | null; value: string }[] {
  const rnd = seededRandom(7);
  const base = Date.now() - 3_600_000;
  const raw = rawFactory('bench-tenant', prefix, base);
  const out: { key: string | null; value: string }[] = [];
  const valid: RawInput[] = [];
  for (let i = 0; out.length < N; i++) {
    const at = new Date(base + i * 100).toISOString();
    const user = `u${Math.floor(rnd() * 5000)}`;
    const session = `ls${Math.floor(rnd() * 100)}`;
    const r = rnd();
    if (r < 0.03 && valid.length) out.push(toMessage(valid[Math.floor(rnd() * valid.length)]));
    else if (r < 0.05) out.push(toMessage(raw('order.paid', { occurredAt: at, userId: user, payload: { amount: 'n/a' } })));
    else {
      const t = rnd();
      const e =
        t < 0.35
          ? raw('live.comment.posted', { occurredAt: at, userId: user, liveSessionId: session, payload: { text: `  Ｐｙｔｈｏｎ 怎么买 ${i} ` } })
          : t < 0.55
            ? raw('live.like', { occurredAt: at, userId: user, liveSessionId: session, payload: { count: 1 + (i % 5) } })
            : t < 0.7
              ? raw('live.room.entered', { occurredAt: at, userId: user, liveSessionId: session, payload: { referrer: 'feed' } })
              : t < 0.85
                ? raw('course.viewed', { occurredAt: at, userId: user, courseId: `c${i % 40}`, payload: { category: 'programming', durationSec: i % 300 } })
                : raw('order.paid', { occurredAt: at, userId: user, payload: { orderId: `o-${i}`, amount: `${(i % 900) + 0.9}`, currency: i % 10 === 0 ? 'USD' : 'CNY' } });
      valid.push(e);
      out.push(toMessage(e));
    }
  }
  return out;
}

async function produce(topic: string, messages: { key: string | null; value: string }[]): Promise<void> {
  const p = kafka.producer();
  await p.connect();
  for (let i = 0; i < messages.length; i += 1000) await p.send({ topic, acks: -1, messages: messages.slice(i, i + 1000) });
  await p.disconnect();
}

interface RunResult {
  eventsPerSec: number;
  seconds: number;
  /** CPU time of the whole process (user + system) per event while the run lasted. */
  cpuMicrosPerEvent: number;
}

const cpuPerEvent = (u: NodeJS.CpuUsage) => Number(((u.user + u.system) / N).toFixed(1));

/**
 * What a chunk costs beyond moving bytes. The pass-through forwards each message as it is; the "floor" forwards what
 * the least any content-aware cleaner must do: parse the JSON, claim the eventId in Redis (one Lua call per chunk doing
 * `SET NX PX` per event), drop the ones already claimed, re-serialise and publish keyed. No validation, no
 * normalisation, no fingerprint, no bot windows, no Postgres.
 */
type ChunkTransform = (chunk: KafkaMessage[]) => Promise<{ key: Buffer | string | null; value: Buffer | string | null }[]>;

/** One call per chunk (as cleaning's claim): SET NX PX for every key, 1 where this call set it. */
const FLOOR_CLAIM_LUA = `local out = {} for i = 1, #KEYS do out[i] = redis.call('SET', KEYS[i], '1', 'PX', 600000, 'NX') and 1 or 0 end return out`;

function floorTransform(redis: Redis, runTag: string): ChunkTransform {
  return async (chunk) => {
    const events = chunk.map((m) => JSON.parse((m.value ?? Buffer.alloc(0)).toString('utf8')) as Record<string, unknown>);
    const keys = events.map((e) => `lp:${runTag}:floor:${String(e.tenantId)}:${String(e.eventId)}`);
    const claimed = (await redis.eval(FLOOR_CLAIM_LUA, keys.length, ...keys)) as number[];
    const out: { key: string | null; value: string }[] = [];
    events.forEach((e, i) => {
      if (claimed[i] === 1) out.push({ key: partitionKey('session-or-user', e), value: JSON.stringify(e) });
    });
    return out;
  };
}

async function passThrough(inTopic: string, outTopic: string, transform?: ChunkTransform): Promise<RunResult> {
  let cpu0 = process.cpuUsage();
  let cpu = cpu0;
  const consumer = kafka.consumer({ groupId: `${prefix}pt-${outTopic}`, maxBytesPerPartition: 1 << 20, sessionTimeout: 30000, heartbeatInterval: 3000 });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic: inTopic, fromBeginning: true });
  let first = 0;
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((r) => (finished = r));
  let end = 0;
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: CONCURRENCY,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (!first) {
        first = performance.now();
        cpu0 = process.cpuUsage();
      }
      for (let i = 0; i < batch.messages.length; i += BATCH) {
        const chunk = batch.messages.slice(i, i + BATCH);
        const out = transform ? await transform(chunk) : chunk.map((m) => ({ key: m.key, value: m.value }));
        await producer.send({ topic: outTopic, acks: -1, messages: out });
        const last = chunk[chunk.length - 1].offset;
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
        done += chunk.length;
      }
      if (done >= N && !end) {
        end = performance.now();
        cpu = process.cpuUsage(cpu0);
        finished();
      }
    },
  });
  await allDone;
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  const seconds = (end - first) / 1000;
  return { eventsPerSec: Math.round(N / seconds), seconds: Number(seconds.toFixed(3)), cpuMicrosPerEvent: cpuPerEvent(cpu) };
}

async function cleaning(): Promise<RunResult> {
  let cpu0 = process.cpuUsage();
  let cpu = cpu0;
  let first = 0;
  let done = 0;
  let end = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((r) => (finished = r));
  const original = CleanBatchUseCase.prototype.execute;
  CleanBatchUseCase.prototype.execute = async function (this: CleanBatchUseCase, messages) {
    if (!first) {
      first = performance.now();
      cpu0 = process.cpuUsage();
    }
    const r = await original.call(this, messages);
    done += messages.length;
    if (done >= N && !end) {
      end = performance.now();
      cpu = process.cpuUsage(cpu0);
      finished();
    }
    return r;
  };
  let app: INestApplication | undefined;
  try {
    const env = serviceTestEnv({ kafkaBrokers: brokers, databaseUrl, redisUrl, origin: 'environment' }, prefix, {
      KAFKA_PARTITIONS: String(PARTITIONS),
      CLEANING_BATCH_SIZE: String(BATCH),
      CLEANING_PARTITIONS_CONCURRENTLY: String(CONCURRENCY),
      LOG_LEVEL: 'error',
      DEDUP_WINDOW_MS: '600000',
    });
    ({ app } = await createServiceApp(AppModule.register({ env }), manifest));
    await allDone;
  } finally {
    CleanBatchUseCase.prototype.execute = original;
    await app?.close();
  }
  const seconds = (end - first) / 1000;
  return { eventsPerSec: Math.round(N / seconds), seconds: Number(seconds.toFixed(3)), cpuMicrosPerEvent: cpuPerEvent(cpu) };
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    process.stderr.write('cleaning bench: over 150 s, giving up\n');
    process.exit(2);
  }, 150_000);
  const admin = kafka.admin();
  await admin.connect();
  const ptIn = `${prefix}pt.in`;
  const ptOut = `${prefix}pt.out`;
  const rawTopic = `${prefix}ingest.raw.v1`;
  const { TOPIC_NAMES } = await import('@livepromo/contracts');
  await admin.createTopics({
    waitForLeaders: true,
    topics: [ptIn, ptOut, `${ptOut}2`, `${ptOut}f`, ...TOPIC_NAMES.map((t) => `${prefix}${t}`)].map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
  });
  const messages = stream();
  const bytes = messages.reduce((s, m) => s + Buffer.byteLength(m.value), 0);
  await Promise.all([produce(ptIn, messages), produce(rawTopic, messages)]);

  const loadBefore = os.loadavg()[0];
  const pt1 = await passThrough(ptIn, ptOut);
  process.stderr.write(`pass-through #1: ${pt1.eventsPerSec} events/s, ${pt1.cpuMicrosPerEvent} µs CPU/event\n`);
  const cl = await cleaning();
  process.stderr.write(`cleaning: ${cl.eventsPerSec} events/s, ${cl.cpuMicrosPerEvent} µs CPU/event\n`);
  const pt2 = await passThrough(ptIn, `${ptOut}2`);
  process.stderr.write(`pass-through #2: ${pt2.eventsPerSec} events/s, ${pt2.cpuMicrosPerEvent} µs CPU/event\n`);
  const redis = new Redis(redisUrl, { lazyConnect: false });
  const floor = await passThrough(ptIn, `${ptOut}f`, floorTransform(redis, prefix));
  process.stderr.write(`floor (parse + Redis claim + re-serialise): ${floor.eventsPerSec} events/s, ${floor.cpuMicrosPerEvent} µs CPU/event\n`);
  const floorKeys = await redis.keys(`lp:${prefix}:floor:*`);
  for (let i = 0; i < floorKeys.length; i += 1000) await redis.del(...floorKeys.slice(i, i + 1000));
  redis.disconnect();
  const baseline = Math.round((pt1.eventsPerSec + pt2.eventsPerSec) / 2);
  const ratio = Number((cl.eventsPerSec / baseline).toFixed(3));

  const result = {
    bench: 'cleaning',
    date: new Date().toISOString(),
    cores: os.cpus().length,
    loadAverage1m: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) },
    machine: `${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
    events: N,
    avgEventBytes: Math.round(bytes / N),
    partitions: PARTITIONS,
    batch: BATCH,
    partitionsConcurrently: CONCURRENCY,
    cleaning: cl,
    passThrough: { eventsPerSec: baseline, runs: [pt1, pt2] },
    ratioToPassThrough: ratio,
    /** pass-through CPU per event / cleaning CPU per event: the throughput ratio to expect when CPU, not waiting, is the limit. */
    /** The least a content-aware cleaner does (parse, one Redis SET NX per event, re-serialise, keyed publish): its ratio bounds any cleaner's. */
    floor: { ...floor, ratioToPassThrough: Number((floor.eventsPerSec / baseline).toFixed(3)), cleaningToFloor: Number((cl.eventsPerSec / floor.eventsPerSec).toFixed(3)) },
    cpuRatioToPassThrough: Number(((pt1.cpuMicrosPerEvent + pt2.cpuMicrosPerEvent) / 2 / cl.cpuMicrosPerEvent).toFixed(3)),
    target: 0.7,
    meetsTarget: ratio >= 0.7,
    method:
      'same N pre-produced messages; each side consumes (eachBatch, `partitionsConcurrently` partitions at a time, chunks of `batch`, offsets committed after each) and produces with acks=all; ' +
      'time from the first batch to the last message handled; baseline = mean of a pass-through run before and after cleaning. Cleaning = ' +
      'full pipeline: envelope validation, normalisation, contract validation, Redis dedup (eventId + fingerprint), de-noising, Postgres counters, publish, confirm. ' +
      'Floor = the pass-through plus the least a content-aware stage does: JSON.parse, one Redis Lua call per chunk (SET NX PX per eventId), JSON.stringify, keyed publish.',
  };
  const dir = path.join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'cleaning.json'), JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');

  await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(prefix)) }).catch(() => undefined);
  await admin.disconnect();
  await dropSchema(databaseUrl, schemaFor('cleaning', prefix.replace(/[^a-z0-9_]/g, '_')));
  clearTimeout(deadline);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`cleaning bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
