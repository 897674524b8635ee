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
import { numberOption, parseCli, runCli, UsageError } from '@livepromo/io';
import { buildWorld } from './world';
import { generateDays, SimEvent, SimStats } from './day';
import { HttpSink, KafkaSink, Sink } from './sinks';

const USAGE = `livepromo simulate: a realistic, seeded live-commerce day (or several) for a tenant
  --tenant ID         tenant (default demo)
  --key KEY           tenant API key (or LIVEPROMO_API_KEY); required for --target http
  --url URL           ingestion or the embedded platform (default http://127.0.0.1:3000)
  --target T          http (default) | kafka (ingest.raw.v1 on KAFKA_BROKERS) | file (only --out)
  --out FILE          also write the events as JSONL
  --truth FILE        write the ground truth (interests, strategy effects, channel curves, totals)
  --days N --sessions N --viewers N --users N --streamers N --courses N   world size (1, 4, 300, 2000, 20, 10)
  --bots F            share of bot users (default 0.03)
  --seed N            seed (default 42)
  --start YYYY-MM-DD  first day (default yesterday)
  --rate N            cap on events/s (default 0 = as fast as accepted)
  -h, --help          this text
Exit codes: 0 done (and --help), 1 failed, 2 bad options.`;

const OPTIONS = Object.fromEntries(
  [
    'tenant',
    'key',
    'url',
    'target',
    'out',
    'truth',
    'days',
    'sessions',
    'viewers',
    'users',
    'streamers',
    'courses',
    'bots',
    'seed',
    'start',
    'rate',
  ].map((n) => [n, { type: 'string' as const }]),
) as Record<string, { type: 'string' }>;

export interface SimulationResult {
  stats: SimStats;
  truthPath?: string;
  sent: number;
  rejected: number;
}

export async function simulate(argv: readonly string[] = process.argv.slice(2)): Promise<SimulationResult | 'help'> {
  const parsed = parseCli(argv, OPTIONS);
  if (!parsed) return 'help';
  const v = parsed.values as Record<string, string | undefined>;
  const arg = (name: string, def?: string): string | undefined => v[name] ?? def;
  const num = (name: string, def: number) => numberOption(name, v[name], def, { min: 0 });
  const tenant = arg('tenant', 'demo')!;
  const seed = num('seed', 42);
  const world = buildWorld({
    seed,
    users: num('users', 2000),
    streamers: num('streamers', 20),
    courses: num('courses', 10),
    botShare: num('bots', 0.03),
  });
  const stats: SimStats = { events: 0, byType: {}, botEvents: 0, paidRevenueFen: 0, refundedFen: 0, costFen: 0 };
  const opts = {
    tenantId: tenant,
    days: num('days', 1),
    sessionsPerDay: num('sessions', 4),
    viewersPerSession: num('viewers', 300),
    startDate: arg('start', new Date(Date.now() - 86_400_000).toISOString().slice(0, 10))!,
    seed,
  };
  const target = arg('target', 'http');
  const out = arg('out');
  const rate = num('rate', 0);
  const fileStream = out ? createWriteStream(out) : null;
  let sink: Sink | null = null;
  if (target === 'http') {
    const key = arg('key', process.env.LIVEPROMO_API_KEY);
    if (!key) throw new UsageError('--key (or LIVEPROMO_API_KEY) is required for --target http');
    sink = new HttpSink(arg('url', 'http://127.0.0.1:3000')!, key);
  } else if (target === 'kafka') sink = await KafkaSink.create();
  else if (target !== 'file') throw new UsageError(`unknown --target ${target}: use http, kafka or file`);

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
    process.stderr.write(
      `\r${bar} ${(pct * 100).toFixed(1)}% ${sent}/${total} events, ${(sent / Math.max(elapsed, 0.001)).toFixed(0)} ev/s, ${rejected} rejected `,
    );
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
    JSON.stringify({
      sent,
      rejected,
      seconds: (Date.now() - started) / 1000,
      paidRevenueFen: stats.paidRevenueFen,
      refundedFen: stats.refundedFen,
      costFen: stats.costFen,
      byType: stats.byType,
    }) + '\n',
  );
  return { stats, truthPath, sent, rejected };
}

if (require.main === module) runCli('simulate', USAGE, async () => ((await simulate()) === 'help' ? 'help' : undefined));
