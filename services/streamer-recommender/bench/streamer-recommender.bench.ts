/**
 * streamer-recommender bench: training time and recommendation latency under concurrent load,
 * 100,000 synthetic users × 5,000 synthetic streamers (seeded).
 *
 * Level: the in-process model (domain code, no Postgres/Kafka/Redis) served over a loopback node:http
 * server; the load generator runs in a worker thread (the other core) with N concurrent keep-alive
 * clients. Baseline in the same run: the same server answering a precomputed JSON body of the same size
 * (bare HTTP). Also reported: use-case latency without HTTP (single caller).
 *
 *   node -r @swc-node/register services/streamer-recommender/bench/streamer-recommender.bench.ts
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { mulberry32, randomInt } from '@livepromo/ml';
import { DEFAULT_HYBRID_WEIGHTS } from '../src/recommendation/domain/hybrid-blend';
import { recommendForCourse, recommendForProfile, similarStreamers, userProfile } from '../src/recommendation/domain/recommender';
import { CATEGORIES, StreamerRecord } from '../src/recommendation/domain/streamer-features';
import { buildTenantModel, DEFAULT_MODEL_OPTIONS, PairRecord, TrainingInput } from '../src/recommendation/domain/tenant-model';
import { percentile } from '@livepromo/testing';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const STREAMERS = Number(process.env.BENCH_STREAMERS ?? 5_000);
const PER_USER = Number(process.env.BENCH_PAIRS_PER_USER ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const OUT = resolve(process.env.BENCH_OUT ?? 'bench/results/streamer-recommender.json');

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

function synthetic(): TrainingInput {
  const rng = mulberry32(2026);
  const streamers: StreamerRecord[] = [];
  const byCat: number[][] = CATEGORIES.map(() => []);
  for (let s = 0; s < STREAMERS; s++) {
    const c = randomInt(rng, CATEGORIES.length);
    byCat[c].push(s);
    const sessions = 1 + randomInt(rng, 30);
    const enters = sessions * (20 + randomInt(rng, 2000));
    streamers.push({
      streamerId: `s${s}`,
      name: `Streamer ${s}`,
      profileCategories: rng() < 0.2 ? [CATEGORIES[c], CATEGORIES[randomInt(rng, CATEGORIES.length)]] : [CATEGORIES[c]],
      followers: Math.round(Math.exp(6 + 3 * rng())),
      priceBand: (['low', 'mid', 'high'] as const)[randomInt(rng, 3)],
      sessions,
      liveSec: sessions * 3600 * (1 + rng()),
      enters,
      watchSec: enters * 300 * rng(),
      interactions: Math.round(enters * rng()),
      orders: Math.round(enters * 0.02 * rng()),
      revenueMinor: Math.round(enters * 0.02 * rng()) * 19900,
      sessionCategories: { [CATEGORIES[c]]: sessions },
    });
  }
  const pairs: PairRecord[] = [];
  const userInterests: TrainingInput['userInterests'] = [];
  for (let u = 0; u < USERS; u++) {
    const c = randomInt(rng, CATEGORIES.length);
    userInterests.push({ userId: `u${u}`, category: CATEGORIES[c], weight: 1 + randomInt(rng, 5) });
    const seen = new Set<number>();
    for (let k = 0; k < PER_USER; k++) {
      // 80% within the user's category, Zipf-ish popularity (squared uniform favours low indices)
      const pool = rng() < 0.8 ? byCat[c] : byCat[randomInt(rng, CATEGORIES.length)];
      const s = pool[Math.floor(rng() * rng() * pool.length)];
      if (seen.has(s)) continue;
      seen.add(s);
      pairs.push({
        userId: `u${u}`,
        streamerId: `s${s}`,
        enters: 1 + randomInt(rng, 5),
        watchSec: randomInt(rng, 7200),
        interactions: randomInt(rng, 20),
        purchases: rng() < 0.03 ? 1 : 0,
        lastAt: 1_700_000_000_000 + randomInt(rng, 30 * 86400) * 1000,
      });
    }
  }
  return { tenantId: 'bench', streamers, pairs, userInterests };
}

function pct(xs: number[], p: number): number {
  return xs.length ? percentile([...xs].sort((a, b) => a - b), p) : 0;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, paths, concurrency, durationMs } = workerData;
(async () => {
  const lat = [];
  let errors = 0;
  const until = Date.now() + durationMs;
  let i = 0;
  async function client() {
    while (Date.now() < until) {
      const p = paths[i++ % paths.length];
      const t = performance.now();
      try {
        const r = await fetch(url + p);
        await r.arrayBuffer();
        if (r.status !== 200) errors++;
      } catch { errors++; }
      lat.push(performance.now() - t);
    }
  }
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  parentPort.postMessage({ lat, errors, elapsedMs: performance.now() - t0 });
})();
`;

function load(url: string, paths: string[], durationMs: number): Promise<{ lat: number[]; errors: number; elapsedMs: number }> {
  return new Promise((res, rej) => {
    const w = new Worker(WORKER, { eval: true, workerData: { url, paths, concurrency: CONCURRENCY, durationMs } });
    w.once('message', (m) => {
      void w.terminate();
      res(m as { lat: number[]; errors: number; elapsedMs: number });
    });
    w.once('error', rej);
  });
}

function summary(r: { lat: number[]; errors: number; elapsedMs: number }) {
  return {
    requests: r.lat.length,
    errors: r.errors,
    throughputRps: Math.round((r.lat.length / r.elapsedMs) * 1000),
    p50Ms: +pct(r.lat, 50).toFixed(3),
    p90Ms: +pct(r.lat, 90).toFixed(3),
    p99Ms: +pct(r.lat, 99).toFixed(3),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`generating ${USERS} users × ${STREAMERS} streamers (≤ ${PER_USER} streamers per user)`);
  const input = synthetic();
  log(`${input.pairs.length} user–streamer pairs`);
  const load0 = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const model = buildTenantModel(input, { ...DEFAULT_MODEL_OPTIONS, weights: DEFAULT_HYBRID_WEIGHTS });
  const trainingMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const trainingCpuMs = (cpu.user + cpu.system) / 1000;
  log(`trained in ${(trainingMs / 1000).toFixed(1)} s wall, ${(trainingCpuMs / 1000).toFixed(1)} s CPU, load average ${load0.toFixed(1)} (${JSON.stringify(model.phases)}): ALS ${model.options.factors} factors × ${model.options.iterations} iterations, k = ${model.clustering.k} (silhouette ${model.clustering.silhouette?.toFixed(3)})`);

  const rng = mulberry32(7);
  const userIds = Array.from({ length: 2000 }, () => (rng() < 0.9 ? `u${randomInt(rng, USERS)}` : `cold-${randomInt(rng, 1e9)}`));

  // use-case level, no HTTP, one caller
  const direct: number[] = [];
  for (const id of userIds) {
    const t = performance.now();
    recommendForProfile(model, userProfile(model, id), { limit: 10, diversify: false, mmrLambda: 0.7 });
    direct.push(performance.now() - t);
  }
  const diversified: number[] = [];
  for (const id of userIds.slice(0, 500)) {
    const t = performance.now();
    recommendForProfile(model, userProfile(model, id), { limit: 10, diversify: true, mmrLambda: 0.7 });
    diversified.push(performance.now() - t);
  }
  const similar: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    similarStreamers(model, `s${randomInt(rng, STREAMERS)}`, 10);
    similar.push(performance.now() - t);
  }
  const course: number[] = [];
  for (let i = 0; i < 200; i++) {
    const audience = Array.from({ length: 500 }, () => `u${randomInt(rng, USERS)}`);
    const v = new Float64Array(CATEGORIES.length);
    v[randomInt(rng, CATEGORIES.length)] = 1;
    const t = performance.now();
    recommendForCourse(model, { vector: v, audience }, 10);
    course.push(performance.now() - t);
  }
  const stat = (xs: number[]) => ({ calls: xs.length, p50Ms: +pct(xs, 50).toFixed(3), p99Ms: +pct(xs, 99).toFixed(3) });
  log(`use-case latency (no HTTP): user p50 ${pct(direct, 50).toFixed(2)} ms p99 ${pct(direct, 99).toFixed(2)} ms`);

  // HTTP under concurrent load
  const bare = JSON.stringify({ results: recommendForProfile(model, userProfile(model, 'u1'), { limit: 10, diversify: false, mmrLambda: 0.7 }) });
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    let body: string;
    if (url.startsWith('/bare')) body = bare;
    else {
      const m = /^\/users\/([^/]+)\/streamers/.exec(url);
      if (!m) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const id = decodeURIComponent(m[1]);
      body = JSON.stringify({ modelVersion: model.version, results: recommendForProfile(model, userProfile(model, id), { limit: 10, diversify: false, mmrLambda: 0.7 }) });
    }
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log(`HTTP load: ${CONCURRENCY} concurrent clients for ${DURATION_MS / 1000} s each (baseline, then recommendations)`);
  const base = summary(await load(url, ['/bare'], DURATION_MS / 2));
  const recs = summary(await load(url, userIds.map((u) => `/users/${u}/streamers`), DURATION_MS));
  server.close();
  log(`bare HTTP p50 ${base.p50Ms} ms p99 ${base.p99Ms} ms; recommendations p50 ${recs.p50Ms} ms p99 ${recs.p99Ms} ms, ${recs.throughputRps} req/s`);

  const result = {
    service: 'streamer-recommender',
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.version,
    level:
      'in-process model (domain code: buildTenantModel + recommendForProfile) served by a loopback node:http server; load from a worker thread with keep-alive fetch clients. No Postgres/Kafka/Redis on the path (Redis result caching is off here: every request is computed).',
    data: { users: USERS, streamers: STREAMERS, pairs: input.pairs.length, coldUserShare: 0.1, seed: 2026 },
    loadAverage1mAtStart: +load0.toFixed(2),
    loadAverage1mAtEnd: +loadavg()[0].toFixed(2),
    training: {
      ms: Math.round(trainingMs),
      cpuMs: Math.round(trainingCpuMs),
      phasesMs: model.phases,
      what: `implicit ALS ${model.options.factors} factors × ${model.options.iterations} iterations + item co-audience neighbours + features + k-means (k ${model.clustering.k} by silhouette over k = 2..${model.options.kMax})`,
    },
    useCaseLatency: { user: stat(direct), userDiversified: stat(diversified), similarStreamers: stat(similar), course500UserAudience: stat(course) },
    http: { concurrency: CONCURRENCY, baselineBareHttp: base, userRecommendations: recs, p50Ratio: +(recs.p50Ms / base.p50Ms).toFixed(2), p99Ratio: +(recs.p99Ms / base.p99Ms).toFixed(2) },
    totalMs: Date.now() - started,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  log(`wrote ${OUT}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
