/**
 * user-profile benchmark (standalone, loopback only, bounded in time):
 *   node -r @swc-node/register services/user-profile/bench/user-profile.bench.ts
 *
 * 1. seed: BENCH_USERS (default 100 000) users, one order each, applied through the use case
 *    (the consumer's code path without Kafka) in batches of 2 000 → events/s creating profiles; stops after
 *    BENCH_SEED_BUDGET_MS (35 s) and reports `scaledDown` with the number of users reached;
 * 2. update throughput end to end: BENCH_UPDATES events (default 20 000) over random existing users,
 *    published to events.clean.v1 while the service consumes them → events/s until all are durable
 *    (waits at most BENCH_UPDATE_BUDGET_MS, 25 s);
 * 3. read latency under concurrent load (BENCH_CONCURRENCY, default 16) over HTTP on loopback:
 *    cold reads (Postgres, then cached) and hot reads (Redis) of random users, p50/p99, each phase capped at
 *    BENCH_PHASE_MS (6 s), after a warm-up, against a
 *    bare baseline route (GET /v1/status) measured in the same run.
 * Writes bench/results/user-profile.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Cache } from '@livepromo/cache';
import { CanonicalEvent, canonicalEventSchema } from '@livepromo/contracts';
import { KafkaBus, MessageBus } from '@livepromo/messaging';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { CONFIG, createServiceApp, BaseConfig } from '@livepromo/service-kit';
import { grantTestKey, percentile, seededRandom } from '@livepromo/testing';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { ApplyCleanEventsUseCase } from '../src/profile/application/apply-clean-events.usecase';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const READS = Number(process.env.BENCH_READS ?? 10_000);
/** Each read phase stops issuing requests after this long (the time budget of the whole bench is ~90 s). */
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 6_000);
const SEED_BATCH = 2_000;
/** Seeding stops after this long and the run is reported as scaled down (shared 2-core machines). */
const SEED_BUDGET_MS = Number(process.env.BENCH_SEED_BUDGET_MS ?? 35_000);
/** How long to wait for the published updates to be applied. */
const UPDATE_BUDGET_MS = Number(process.env.BENCH_UPDATE_BUDGET_MS ?? 25_000);
/** Users that exist (set after seeding). */
let users = USERS;
const TENANT = 'bench-tenant';
const CATEGORIES = ['programming', 'writing', 'design', 'marketing', 'management'] as const;
const DAY = 86_400_000;

const rand = seededRandom(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const userId = (i: number) => `u-${i.toString().padStart(6, '0')}`;
let seq = 0;

function mk(type: CanonicalEvent['type'], user: string, payload: Record<string, unknown>, extra: Record<string, string> = {}): CanonicalEvent {
  const occurredAt = new Date(Date.now() - Math.floor(rand() * 60 * DAY)).toISOString();
  return canonicalEventSchema.parse({
    eventId: `b-${++seq}`,
    tenantId: TENANT,
    type,
    source: 'generic',
    occurredAt,
    receivedAt: occurredAt,
    userId: user,
    schemaVersion: 1,
    payload,
    ...extra,
  });
}

function updateEvent(): CanonicalEvent {
  const u = userId(Math.floor(rand() * users));
  const r = rand();
  const live = { streamerId: `s-${Math.floor(rand() * 200)}`, liveSessionId: `ls-${Math.floor(rand() * 500)}` };
  if (r < 0.35) return mk('course.viewed', u, { category: pick(CATEGORIES), topics: [`${pick(CATEGORIES)}/t${Math.floor(rand() * 20)}`] });
  if (r < 0.5) return mk('live.comment.posted', u, { text: '多少钱' }, live);
  if (r < 0.65) return mk('live.like', u, { count: 1 + Math.floor(rand() * 5) }, live);
  if (r < 0.8) return mk('live.room.left', u, { watchSec: Math.floor(rand() * 1800) }, live);
  if (r < 0.9) return mk('course.searched', u, { query: 'python', category: pick(CATEGORIES) });
  return mk('order.paid', u, { orderId: `o-${seq}`, amount: { amountMinor: 1000 + Math.floor(rand() * 60000), currency: 'CNY' }, category: pick(CATEGORIES) });
}


async function load(base: string, paths: string[], headers: Record<string, string>): Promise<{ p50: number; p99: number; mean: number; rps: number; errors: number; n: number }> {
  const lat: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const stopAt = started + PHASE_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= paths.length || performance.now() > stopAt) return;
        const t = performance.now();
        const res = await fetch(base + paths[i], { headers });
        await res.arrayBuffer();
        lat.push(performance.now() - t);
        if (res.status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r3(percentile(lat, 50)), p99: r3(percentile(lat, 99)), mean: r3(lat.reduce((a, b) => a + b, 0) / lat.length), rps: Math.round(lat.length / seconds), errors, n: lat.length };
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  const loadAtStart = loadavg()[0];
  const prefix = `bench_up_${Date.now().toString(36)}_`;
  const env = {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'warn',
    LIVEPROMO_TOPIC_PREFIX: prefix,
    LIVEPROMO_SCHEMA_PREFIX: prefix,
    KAFKA_PARTITIONS: '2',
    USER_PROFILE_CACHE_TTL_SECONDS: '300',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
  const { app } = await createServiceApp(AppModule.register({ env }), manifest);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const bus = app.get(MessageBus);
  const ds = app.get(DataSource);
  const apply = app.get(ApplyCleanEventsUseCase);
  const config = app.get<BaseConfig>(CONFIG);
  const results: Record<string, unknown> = {};
  try {
    // 1. seed
    const t0 = performance.now();
    let seeded = 0;
    for (let i = 0; i < USERS; i += SEED_BATCH) {
      if (performance.now() - t0 > SEED_BUDGET_MS) break; // scaled down: the figures say how many users
      const batch: CanonicalEvent[] = [];
      for (let j = i; j < Math.min(USERS, i + SEED_BATCH); j++) {
        batch.push(mk('order.paid', userId(j), { orderId: `seed-${j}`, amount: { amountMinor: 1000 + Math.floor(rand() * 60000), currency: 'CNY' }, category: pick(CATEGORIES) }));
      }
      await apply.execute(batch);
      seeded += batch.length;
    }
    const seedSeconds = (performance.now() - t0) / 1000;
    users = seeded;
    results.seed = {
      usersRequested: USERS,
      users: seeded,
      scaledDown: seeded < USERS,
      events: seeded,
      batchSize: SEED_BATCH,
      seconds: Math.round(seedSeconds * 100) / 100,
      eventsPerSec: Math.round(seeded / seedSeconds),
    };
    process.stderr.write(`seeded ${seeded} profiles in ${seedSeconds.toFixed(1)} s\n`);

    // 2. end-to-end update throughput through Kafka
    const updates = Array.from({ length: UPDATES }, updateEvent);
    const processed = async () => Number((await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM processed_event`))[0].n);
    const before = await processed();
    const t1 = performance.now();
    for (let i = 0; i < updates.length; i += 2000) await bus.publish('events.clean.v1', updates.slice(i, i + 2000));
    const publishSeconds = (performance.now() - t1) / 1000;
    const deadline = Date.now() + UPDATE_BUDGET_MS;
    let done = await processed();
    while (done - before < UPDATES && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      done = await processed();
    }
    const e2eSeconds = (performance.now() - t1) / 1000;
    results.updateThroughput = {
      events: done - before,
      complete: done - before >= UPDATES,
      seconds: Math.round(e2eSeconds * 100) / 100,
      eventsPerSec: Math.round((done - before) / e2eSeconds),
      publishOnlyEventsPerSec: Math.round(UPDATES / publishSeconds),
      partitions: 2,
    };
    process.stderr.write(`applied ${done - before}/${UPDATES} updates in ${e2eSeconds.toFixed(1)} s\n`);

    // 3. read latency
    const key = await grantTestKey(bus, TENANT);
    const headers = { authorization: `Bearer ${key}` };
    const until = Date.now() + 30_000;
    while ((await fetch(`${base}/v1/score-weights`, { headers })).status !== 200) {
      if (Date.now() > until) throw new Error('tenant key never resolved');
      await new Promise((r) => setTimeout(r, 200));
    }
    const uniqueUsers = [...new Set(Array.from({ length: READS }, () => userId(Math.floor(rand() * users))))];
    await load(base, Array.from({ length: 300 }, () => '/v1/status'), headers); // warm-up (JIT, connections)
    await load(base, Array.from({ length: 300 }, () => `/v1/profiles/${userId(Math.floor(rand() * users))}`), headers);
    const baseline = await load(base, Array.from({ length: READS }, () => '/v1/status'), headers);
    const cold = await load(base, uniqueUsers.map((u) => `/v1/profiles/${u}`), headers);
    const warmed = uniqueUsers.slice(0, cold.n);
    const hot = await load(base, Array.from({ length: READS }, () => `/v1/profiles/${pick(warmed)}`), headers);
    results.readLatencyMs = {
      concurrency: CONCURRENCY,
      baselineBareRoute: baseline,
      coldPostgresReadThrough: cold,
      hotRedis: hot,
      hotP50OverBaseline: Math.round((hot.p50 / baseline.p50) * 100) / 100,
      hotP99OverBaseline: Math.round((hot.p99 / baseline.p99) * 100) / 100,
    };
    process.stderr.write(`reads: baseline p50 ${baseline.p50} ms, cold p50 ${cold.p50} / p99 ${cold.p99} ms, hot p50 ${hot.p50} / p99 ${hot.p99} ms\n`);
  } finally {
    const cache = app.get(Cache);
    for (let i = 0; i < 100; i++) {
      const keys = await cache.scan('*', 10_000);
      if (keys.length === 0) break;
      await cache.del(keys);
    }
    if (bus instanceof KafkaBus) await bus.deleteOwnTopics().catch(() => undefined);
    await app.close();
    await dropSchema(config.DATABASE_URL, schemaFor(manifest.service, prefix));
  }

  const out = {
    service: 'user-profile',
    date: new Date().toISOString(),
    cores: cpus().length,
    machine: `${cpus()[0]?.model ?? 'cpu'}; shared with other workloads`,
    loadAverage1mAtStart: Math.round(loadAtStart * 100) / 100,
    loadAverage1mAtEnd: Math.round(loadavg()[0] * 100) / 100,
    method:
      'seed: use case (consumer path without Kafka), batches of 2000, one order per new user; updateThroughput: events published to events.clean.v1 from the same process while the service consumes (2 partitions, one consumer), timed from first publish until every event id is durable in Postgres; readLatencyMs: HTTP GET on loopback from the same process, fetch keep-alive, after a warm-up, each phase capped at ' + PHASE_MS + ' ms, cold = first read of distinct users (Postgres + cache fill), hot = random re-reads of the users read cold (Redis), baseline = GET /v1/status',
    ...results,
    totalSeconds: Math.round((Date.now() - benchStarted) / 100) / 10,
  };
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'user-profile.json'), JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`user-profile bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
