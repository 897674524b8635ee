/**
 * livepromo simulate — a realistic, seeded live-commerce day (or several) for a tenant.
 *
 *   livepromo simulate --tenant demo --key KEY [--url http://127.0.0.1:3000] [--days 1] [--sessions 4]
 *                      [--viewers 300] [--users 2000] [--streamers 20] [--courses 10] [--bots 0.03]
 *                      [--seed 42] [--rate 0] [--target http|kafka|file] [--out events.jsonl] [--truth truth.json]
 *
 * --target http (default) posts batches to ingestion's /v1/events/batch; kafka publishes straight to
 * ingest.raw.v1 (KAFKA_BROKERS, LIVEPROMO_TOPIC_PREFIX); file only writes --out. --rate caps events/s
 * (0 = as fast as accepted). The ground truth (latent interests, true strategy effects, true channel
 * response curves, totals sent) is written to --truth.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { buildWorld } from './world';
import { generateDays, SimEvent, SimStats } from './day';
import { HttpSink, KafkaSink, Sink } from './sinks';

function arg(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
}
const num = (name: string, def: number) => {
  const v = Number(arg(name, String(def)));
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`--${name} must be a non-negative number\n`);
    process.exit(2);
  }
  return v;
};

export interface SimulationResult {
  stats: SimStats;
  truthPath?: string;
  sent: number;
  rejected: number;
}

export async function simulate(): Promise<SimulationResult> {
  const tenant = arg('tenant', 'demo')!;
  const seed = num('seed', 42);
  const world = buildWorld({ seed, users: num('users', 2000), streamers: num('streamers', 20), courses: num('courses', 10), botShare: num('bots', 0.03) });
  const stats: SimStats = { events: 0, byType: {}, botEvents: 0, paidRevenueFen: 0, refundedFen: 0, costFen: 0 };
  const opts = { tenantId: tenant, days: num('days', 1), sessionsPerDay: num('sessions', 4), viewersPerSession: num('viewers', 300), startDate: arg('start', new Date(Date.now() - 86_400_000).toISOString().slice(0, 10))!, seed };
  const target = arg('target', 'http');
  const out = arg('out');
  const rate = num('rate', 0);
  const fileStream = out ? createWriteStream(out) : null;
  let sink: Sink | null = null;
  if (target === 'http') {
    const key = arg('key', process.env.LIVEPROMO_API_KEY);
    if (!key) {
      process.stderr.write('--key (or LIVEPROMO_API_KEY) is required for --target http\n');
      process.exit(2);
    }
    sink = new HttpSink(arg('url', 'http://127.0.0.1:3000')!, key);
  } else if (target === 'kafka') sink = await KafkaSink.create();
  else if (target !== 'file') {
    process.stderr.write(`unknown --target ${target}: use http, kafka or file\n`);
    process.exit(2);
  }

  // Count first so the progress bar knows the total (generation is cheap and deterministic).
  const total = (() => {
    const s: SimStats = { events: 0, byType: {}, botEvents: 0, paidRevenueFen: 0, refundedFen: 0, costFen: 0 };
    let c = 0;
    for (const _ of generateDays(world, opts, s)) c++;
    return c;
  })();
  const started = Date.now();
  let sent = 0;
  let rejected = 0;
  let batch: SimEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (sink) {
      const r = await sink.send(batch);
      rejected += r.rejected;
    }
    sent += batch.length;
    batch = [];
    const elapsed = (Date.now() - started) / 1000;
    const pct = sent / total;
    const bar = '█'.repeat(Math.round(pct * 30)).padEnd(30, '░');
    process.stderr.write(`\r${bar} ${(pct * 100).toFixed(1)}% ${sent}/${total} events, ${(sent / Math.max(elapsed, 0.001)).toFixed(0)} ev/s, ${rejected} rejected `);
    if (rate > 0) {
      const due = (sent / rate) * 1000 - (Date.now() - started);
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
  };
  for (const e of generateDays(world, opts, stats)) {
    fileStream?.write(JSON.stringify(e) + '\n');
    batch.push(e);
    if (batch.length >= 500) await flush();
  }
  await flush();
  process.stderr.write('\n');
  fileStream?.end();
  await sink?.close();

  const truthPath = arg('truth');
  const truth = {
    seed,
    tenant,
    options: opts,
    totals: stats,
    strategyEffects: world.strategyEffects,
    channels: world.channels.map((c) => ({ name: c.name, curve: `revenueFen = ${c.a} * ln(1 + spendFen / ${c.b})`, a: c.a, b: c.b })),
    streamers: world.streamers,
    courses: world.courses,
    users: world.users.map((u) => ({ id: u.id, interests: u.interests, isBot: u.isBot, priceSensitivity: u.priceSensitivity })),
  };
  if (truthPath) writeFileSync(truthPath, JSON.stringify(truth, null, 2));
  process.stdout.write(
    JSON.stringify({ sent, rejected, seconds: (Date.now() - started) / 1000, paidRevenueFen: stats.paidRevenueFen, refundedFen: stats.refundedFen, costFen: stats.costFen, byType: stats.byType }) + '\n',
  );
  return { stats, truthPath, sent, rejected };
}

if (require.main === module) {
  simulate().catch((e: unknown) => {
    process.stderr.write(`\nsimulate failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
