/**
 * Pipeline benchmark (issue #22): the whole distributed platform — the seven services as separate processes,
 * Kafka, Postgres and Redis on this machine — driven by the simulator at stepped rates.
 *
 *   npm run bench -- pipeline        (or: node -r @swc-node/register bench/pipeline.bench.ts)
 *
 * Result: the highest offered rate at which ingestion accepted what was offered (≥ 95 %) and every consumer group of
 * the run kept its lag bounded (no sample in the second half of the window above PIPELINE_LAG_BOUND_S seconds of
 * traffic) for a whole window (PIPELINE_WINDOW_S, default 60 s), in events/s and per core; end-to-end latency
 * p50/p99 from ingestion's 202 to the ROI ledger row (seen by polling, so ≤ PIPELINE_POLL_MS late) and to the
 * content-optimiser window (`applied_event.applied_at`, the transaction's start: exact to the ms); each service's
 * CPU (from /proc) per step, which names the slowest stage. Same run, the yardsticks: Apache Kafka's own Java producer
 * (ProducerPerformance from org.apache.kafka:kafka-tools, tools/infra/kafka-tools-pom.xml, 186-byte records, acks=all,
 * idempotent) and kafkajs producing the same records (one record per event, and one record per 500-event request).
 * After the ramp, an unthrottled burst measures ingestion's accept rate in the same run.
 *
 * Isolated: topics, groups, Redis keys and Postgres schemas carry a run prefix; the yardstick topics too; all are left
 * to the broker's retention (24 h) and the schemas are dropped at the end.
 *
 * Environment: PIPELINE_RATES (events/s steps, default 3000,6000,9000,12000), PIPELINE_WINDOW_S (60),
 * PIPELINE_DRAIN_S (longest wait for lag to fall back between steps, 30), PIPELINE_LAG_BOUND_S (5),
 * PIPELINE_PERF_RECORDS (Java / kafkajs yardstick records, 1,000,000), PIPELINE_BURST_S (15), PIPELINE_BASE_PORT (4900),
 * PIPELINE_POLL_MS (250), PIPELINE_SKIP_YARDSTICKS=1, PIPELINE_OUT (bench/results/pipeline.json), PIPELINE_CPU_PROF=dir (every
 * service runs with node --cpu-prof, one .cpuprofile per service under dir/<service>/, written when it stops).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { buildWorld } from '../tools/simulator/world';
import { generateDays, SimEvent, SimStats } from '../tools/simulator/day';

const root = join(__dirname, '..');
const env = process.env;
const num = (name: string, def: number): number => {
  const v = Number(env[name] ?? def);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
};
const cfg = {
  rates: (env.PIPELINE_RATES ?? '3000,6000,9000,12000').split(',').map(Number).filter((n) => n > 0),
  windowS: num('PIPELINE_WINDOW_S', 60),
  drainS: num('PIPELINE_DRAIN_S', 30),
  lagBoundS: num('PIPELINE_LAG_BOUND_S', 5),
  perfRecords: num('PIPELINE_PERF_RECORDS', 1_000_000),
  burstS: num('PIPELINE_BURST_S', 15),
  basePort: num('PIPELINE_BASE_PORT', 4900),
  pollMs: num('PIPELINE_POLL_MS', 250),
  skipYardsticks: env.PIPELINE_SKIP_YARDSTICKS === '1',
  out: env.PIPELINE_OUT ?? join(root, 'bench', 'results', 'pipeline.json'),
  batch: 500,
  recordSize: 186,
};
const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `tpipe${Date.now().toString(36)}_`;
const schemaPrefix = prefix.replace(/[^a-z0-9_]/g, '_');
const OPERATOR_TOKEN = 'pipeline-bench-operator-token-0123';
const SERVICES = ['ingestion', 'cleaning', 'user-profile', 'streamer-recommender', 'content-optimiser', 'roi', 'inference'] as const;
type ServiceName = (typeof SERVICES)[number];
const log = (s: string) => process.stderr.write(`[pipeline] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const quantile = (xs: number[], q: number): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

// ---------------------------------------------------------------- processes and CPU
const CLK_TCK = 100; // Linux USER_HZ
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime
  } catch {
    return 0;
  }
}
function machineBusySeconds(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v > 0));

/**
 * CPU seconds of the shared infrastructure processes on this machine (Kafka's java, postgres, redis-server), by
 * name. They serve everyone on the machine: on a busy machine this includes others' load.
 */
function infraCpu(): Record<string, number> {
  const out: Record<string, number> = { kafka: 0, postgres: 0, redis: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let comm = '';
    let cmd = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm === 'java') cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const kind = comm === 'java' && cmd.includes('kafka.Kafka') && cmd.includes(KAFKA_CONFIG) ? 'kafka' : comm.startsWith('postgres') ? 'postgres' : comm.startsWith('redis-server') ? 'redis' : null;
    if (kind) out[kind] += cpuSecondsOf(Number(pid));
  }
  return out;
}
const KAFKA_CONFIG = join(env.LIVEPROMO_INFRA_CACHE ?? join(root, '.cache', 'infra'), 'kafka', 'config');

class Service {
  child: ChildProcess | null = null;
  output: string[] = [];
  constructor(
    readonly name: ServiceName,
    readonly port: number,
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  start(): void {
    const prof = env.PIPELINE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(env.PIPELINE_CPU_PROF, this.name)] : [];
    this.child = spawn(process.execPath, [...prof, '-r', '@swc-node/register', join(root, 'services', this.name, 'src/main.ts')], {
      cwd: root,
      env: {
        ...env,
        PORT: String(this.port),
        KAFKA_BROKERS: brokers.join(','),
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        LOG_LEVEL: 'warn',
        LIVEPROMO_TOPIC_PREFIX: prefix,
        LIVEPROMO_SCHEMA_PREFIX: schemaPrefix,
        OPERATOR_TOKEN,
        SECRET_ENCRYPTION_KEY: 'pipeline-bench-secret-key-0123456789',
        SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      this.output.push(b.toString());
      if (this.output.length > 100) this.output.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }
  async ready(timeoutMs = 180_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) throw new Error(`${this.name} exited: ${this.output.join('').slice(-2000)}`);
      const r = await fetch(`${this.url}/health/ready`).catch(() => null);
      if (r?.status === 200) return;
      await sleep(250);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms: ${this.output.join('').slice(-2000)}`);
  }
  cpu(): number {
    return cpuSecondsOf(this.child?.pid);
  }
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (c.exitCode === null) c.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------- yardsticks
function javaProducerPerf(topic: string): { recordsPerSec: number; mbPerSec: number; avgLatencyMs: number; p99LatencyMs: number; records: number } | { error: string } {
  const dir = join(root, '.cache', 'kafka-tools');
  if (!existsSync(join(dir, '.complete'))) {
    log(`resolving org.apache.kafka:kafka-tools into ${dir} (Maven Central)`);
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('mvn', ['-q', '-B', '-Dstyle.color=never', '-f', join(root, 'tools/infra/kafka-tools-pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${dir}`, '-DincludeScope=runtime'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) return { error: `mvn failed (${r.status ?? r.signal}); is Maven installed and Maven Central reachable?` };
    writeFileSync(join(dir, '.complete'), '');
  }
  const args = ['-Xmx512m', '-cp', `${dir}/*`, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(cfg.perfRecords),
    '--record-size', String(cfg.recordSize), '--throughput', '-1', '--producer-props', `bootstrap.servers=${brokers.join(',')}`, 'acks=all', 'enable.idempotence=true'];
  const r = spawnSync('java', args, { encoding: 'utf8', timeout: 5 * 60_000 });
  const last = (r.stdout ?? '').trim().split('\n').filter((l) => l.includes(`${cfg.perfRecords} records sent`)).pop();
  const m = last && /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency.*?, (\d+) ms 99th/.exec(last);
  if (!m) return { error: `ProducerPerformance gave no summary (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').slice(-500)}` };
  return { records: cfg.perfRecords, recordsPerSec: round(Number(m[1])), mbPerSec: Number(m[2]), avgLatencyMs: Number(m[3]), p99LatencyMs: Number(m[4]) };
}

/** kafkajs, idempotent, acks=all: `records` records of `size` bytes, `perSend` per send() call, 3 sends in flight. */
async function kafkajsProducer(topic: string, records: number, size: number, perSend: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'pipeline-bench', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  const value = Buffer.alloc(size, 120);
  const messages = Array.from({ length: perSend }, (_, i) => ({ key: `k${i % 64}`, value }));
  await producer.send({ topic, acks: -1, messages: messages.slice(0, 1) });
  const started = Date.now();
  let sent = 0;
  const worker = async () => {
    while (sent < records) {
      sent += perSend;
      await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const rate = sent / ((Date.now() - started) / 1000);
  await producer.disconnect();
  return round(rate);
}

// ---------------------------------------------------------------- load
class Load {
  private gen: Generator<SimEvent>;
  private chunk = 0;
  readonly stats: SimStats = { events: 0, byType: {}, botEvents: 0, paidRevenueFen: 0, refundedFen: 0, costFen: 0 };
  private readonly world = buildWorld({ seed: 22, users: 20_000, streamers: 40, courses: 20, botShare: 0.03 });
  private readonly start = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  constructor(private readonly tenantId: string) {
    this.gen = this.chunkGen();
  }
  /** One simulated day per chunk (seed = chunk), session and order ids made unique per chunk. */
  private *chunkGen(): Generator<SimEvent> {
    for (;;) {
      const c = ++this.chunk;
      for (const e of generateDays(this.world, { tenantId: this.tenantId, days: 1, sessionsPerDay: 40, viewersPerSession: 1500, startDate: this.start, seed: 1000 + c }, this.stats)) {
        if (e.liveSessionId) e.liveSessionId = `${e.liveSessionId}-c${c}`;
        const orderId = e.payload.orderId;
        if (typeof orderId === 'string') e.payload.orderId = `${orderId}-c${c}`;
        yield e;
      }
    }
  }
  next(n: number): SimEvent[] {
    const out: SimEvent[] = [];
    for (let i = 0; i < n; i++) out.push(this.gen.next().value as SimEvent);
    return out;
  }
}

interface SendOutcome {
  accepted: number;
  seconds: number;
  retries: number;
  failures: number;
}
/** Offers `rate` events/s for `seconds` (0 rate = as fast as accepted, 8 requests in flight), 500 events a request. */
async function drive(url: string, key: string, load: Load, rate: number, seconds: number, onAccepted: (events: SimEvent[], at: number) => void): Promise<SendOutcome> {
  const started = Date.now();
  const until = started + seconds * 1000;
  let offered = 0;
  let accepted = 0;
  let retries = 0;
  let failures = 0;
  let inFlight = 0;
  const maxInFlight = 8;
  const post = async (events: SimEvent[]): Promise<void> => {
    const body = JSON.stringify(events);
    for (let attempt = 0; attempt < 30; attempt++) {
      const res = await fetch(`${url}/v1/events/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }).catch(() => null);
      if (res && (res.status === 200 || res.status === 202 || res.status === 207)) {
        const at = Date.now();
        await res.arrayBuffer();
        accepted += events.length;
        onAccepted(events, at);
        return;
      }
      if (res) await res.arrayBuffer().catch(() => undefined);
      retries++;
      await sleep(res?.status === 429 || res?.status === 503 ? Number(res.headers.get('retry-after') ?? '1') * 1000 : 200);
    }
    failures += events.length;
  };
  const pending = new Set<Promise<void>>();
  while (Date.now() < until) {
    const due = rate > 0 ? Math.floor(((Date.now() - started) / 1000) * rate) : Number.MAX_SAFE_INTEGER;
    if (offered < due && inFlight < maxInFlight) {
      const n = Math.min(cfg.batch, Math.max(1, due - offered));
      offered += n;
      inFlight++;
      const p = post(load.next(n)).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
      continue;
    }
    await (inFlight >= maxInFlight ? Promise.race(pending) : sleep(5));
  }
  await Promise.all(pending);
  return { accepted, seconds: (Date.now() - started) / 1000, retries, failures };
}

// ---------------------------------------------------------------- lag and latency observers
async function groupLags(admin: ReturnType<Kafka['admin']>): Promise<Record<string, number>> {
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
  const highs = new Map<string, Map<number, number>>();
  const high = async (topic: string) => {
    let m = highs.get(topic);
    if (!m) {
      m = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
      highs.set(topic, m);
    }
    return m;
  };
  const out: Record<string, number> = {};
  for (const groupId of groups) {
    const topics = await admin.fetchOffsets({ groupId });
    let lag = 0;
    for (const t of topics) {
      const h = await high(t.topic);
      for (const p of t.partitions) {
        const committed = Number(p.offset);
        if (committed >= 0) lag += Math.max(0, (h.get(p.partition) ?? 0) - committed);
      }
    }
    out[groupId.slice(prefix.length)] = lag;
  }
  return out;
}

class LatencyProbe {
  readonly roiPending = new Map<string, number>();
  readonly coPending = new Map<string, number>();
  readonly roi: number[] = [];
  readonly co: number[] = [];
  private n = 0;
  constructor(
    private readonly pg: Client,
    private readonly tenantId: string,
  ) {}
  accepted(events: SimEvent[], at: number): void {
    for (const e of events) {
      if (e.type === 'order.paid') this.roiPending.set(e.eventId, at);
      else if (e.liveSessionId && e.type.startsWith('live.') && this.n++ % 50 === 0) this.coPending.set(e.eventId, at);
    }
  }
  reset(): void {
    this.roi.length = 0;
    this.co.length = 0;
  }
  async poll(): Promise<void> {
    const now = Date.now();
    if (this.roiPending.size > 0) {
      const ids = [...this.roiPending.keys()].slice(0, 5000);
      const r = await this.pg.query<{ event_id: string }>(`SELECT DISTINCT event_id FROM "${schemaPrefix}roi".ledger_entry WHERE tenant_id = $1 AND event_id = ANY($2)`, [this.tenantId, ids]);
      for (const row of r.rows) {
        this.roi.push(now - this.roiPending.get(row.event_id)!);
        this.roiPending.delete(row.event_id);
      }
    }
    if (this.coPending.size > 0) {
      const ids = [...this.coPending.keys()].slice(0, 5000);
      const r = await this.pg.query<{ event_id: string; at: string }>(
        `SELECT event_id, (extract(epoch from applied_at) * 1000)::bigint AS at FROM "${schemaPrefix}content_optimiser".applied_event WHERE tenant_id = $1 AND event_id = ANY($2)`,
        [this.tenantId, ids],
      );
      for (const row of r.rows) {
        this.co.push(Math.max(0, Number(row.at) - this.coPending.get(row.event_id)!));
        this.coPending.delete(row.event_id);
      }
    }
  }
}

// ---------------------------------------------------------------- main
interface StepResult {
  offeredPerSec: number;
  acceptedPerSec: number;
  windowS: number;
  sustained: boolean;
  why: string;
  maxLagSecondHalf: Record<string, number>;
  finalLag: Record<string, number>;
  drainedInS: number | null;
  e2eRoiLedgerMs: { p50: number | null; p99: number | null; samples: number };
  e2eContentWindowMs: { p50: number | null; p99: number | null; samples: number };
  cpuCores: Record<string, number>;
  cpuUsPerAcceptedEvent: Record<string, number>;
  servicesUsPerEvent: number;
  infraCores: Record<string, number>;
  /** Services' + broker's + Postgres' + Redis' CPU per accepted event, and the rate the machine's cores would allow at that cost. */
  totalUsPerEvent: number;
  /** The same less the idle CPU (measured before the load): what one more event costs. */
  marginalUsPerEvent: number;
  cpuCeilingEventsPerSec: number;
  machineBusyCores: number;
  /** This bench process (simulator + HTTP client + probes), which shares the cores with the platform. */
  driverCores: number;
  load1: number;
}

async function main(): Promise<void> {
  const cores = cpus().length;
  mkdirSync(dirname(cfg.out), { recursive: true });
  const result: Record<string, unknown> = {
    generatedAt: new Date().toISOString(),
    cores,
    machine: cpus()[0]?.model ?? 'cpu',
    method:
      'seven services as processes over Kafka/Postgres/Redis on this machine; simulator events POSTed in 500-event requests at stepped rates; a step is sustained when ≥ 95 % of the offered events were accepted and no consumer group lag sample in the second half of the window exceeded PIPELINE_LAG_BOUND_S seconds of traffic; e2e = ingestion 202 → ROI ledger row (polled) / content-optimiser applied_event.applied_at; per core = sustained / machine cores',
    // a string, so that `npm run bench`'s summary table (numbers only) lists results, not settings
    config: JSON.stringify({ ...cfg, out: undefined }),
  };
  const kafka = new Kafka({ clientId: 'pipeline-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();

  // 1. yardsticks, before the platform runs
  const yard: Record<string, unknown> = {};
  if (!cfg.skipYardsticks) {
    const perfTopic = `${prefix}bench.producer-perf`;
    await admin.createTopics({ topics: [{ topic: perfTopic, numPartitions: 6 }, { topic: `${prefix}bench.kafkajs`, numPartitions: 6 }] });
    log(`Java ProducerPerformance: ${cfg.perfRecords} records of ${cfg.recordSize} bytes, acks=all, idempotent`);
    yard.javaProducerPerf = javaProducerPerf(perfTopic);
    log(`  → ${JSON.stringify(yard.javaProducerPerf)}`);
    const n = Math.min(cfg.perfRecords, 300_000);
    yard.kafkajsRecordPerEvent = { recordsPerSec: await kafkajsProducer(`${prefix}bench.kafkajs`, n, cfg.recordSize, cfg.batch), recordBytes: cfg.recordSize, recordsPerSend: cfg.batch };
    // one record per accepted request (500 events of ~186 bytes in one value): events/s = records/s × 500
    const perRequest = await kafkajsProducer(`${prefix}bench.kafkajs`, Math.ceil(n / cfg.batch), cfg.recordSize * cfg.batch, 10);
    yard.kafkajsRecordPerRequest = { recordsPerSec: perRequest, eventsPerSec: round(perRequest * cfg.batch), recordBytes: cfg.recordSize * cfg.batch, recordsPerSend: 10 };
    log(`  kafkajs: ${JSON.stringify(yard.kafkajsRecordPerEvent)} / ${JSON.stringify(yard.kafkajsRecordPerRequest)}`);
  }
  result.yardsticks = yard;

  // 2. the platform
  const services = SERVICES.map((s, i) => new Service(s, cfg.basePort + i));
  const byName = (n: ServiceName) => services.find((s) => s.name === n)!;
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const steps: StepResult[] = [];
  try {
    const ing = byName('ingestion');
    ing.start();
    await ing.ready();
    for (const s of services) if (s !== ing) s.start();
    await Promise.all(services.map((s) => s.ready()));
    const tenant = `pipe-${Date.now().toString(36)}`;
    const created = await fetch(`${ing.url}/v1/admin/tenants`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-operator-token': OPERATOR_TOKEN }, body: JSON.stringify({ tenantId: tenant, name: 'pipeline bench' }) });
    if (created.status !== 201) throw new Error(`tenant creation answered ${created.status}: ${await created.text()}`);
    const key = ((await created.json()) as { apiKey: { key: string } }).apiKey.key;
    for (const [svc, path] of [['cleaning', '/v1/rejections/stats'], ['roi', '/v1/roi/reports?dimension=day'], ['content-optimiser', '/v1/bandit/arms']] as const) {
      for (let i = 0; i < 240; i++) {
        const r = await fetch(`${byName(svc).url}${path}`, { headers: { authorization: `Bearer ${key}` } }).catch(() => null);
        if (r && r.status !== 401) break;
        await sleep(250);
      }
    }
    // what the platform spends with no traffic (fetch loops of ~25 consumers, heartbeats, timers): subtracted nowhere,
    // reported so the per-event figures can be read against it
    {
      const c0 = services.map((s) => s.cpu());
      const i0 = infraCpu();
      const t0 = Date.now();
      await sleep(Math.min(10, cfg.windowS) * 1000);
      const secs = (Date.now() - t0) / 1000;
      const i1 = infraCpu();
      result.idleCores = {
        ...Object.fromEntries(services.map((s, i) => [s.name, round((s.cpu() - c0[i]) / secs, 3)])),
        // postgres backends come and go (other clients' connections): a negative difference reads as 0
        ...Object.fromEntries(Object.keys(i1).map((k) => [k, Math.max(0, round((i1[k] - (i0[k] ?? 0)) / secs, 3))])),
      };
      log(`idle cores: ${JSON.stringify(result.idleCores)}`);
    }
    const load = new Load(tenant);
    const probe = new LatencyProbe(pg, tenant);
    log(`platform up (prefix ${prefix}); warm-up 10 s at ${cfg.rates[0]} ev/s`);
    await drive(ing.url, key, load, cfg.rates[0], 10, () => undefined);
    await waitDrained(admin, cfg.drainS, 0);

    for (const rate of cfg.rates) {
      probe.reset();
      const cpu0 = services.map((s) => s.cpu());
      const infra0 = infraCpu();
      const m0 = machineBusySeconds();
      const lagSamples: { t: number; lags: Record<string, number> }[] = [];
      let sampling = true;
      const t0 = Date.now();
      const driver0 = process.cpuUsage();
      const sampler = (async () => {
        while (sampling) {
          try {
            lagSamples.push({ t: (Date.now() - t0) / 1000, lags: await groupLags(admin) });
            await probe.poll();
          } catch (e) {
            log(`sample failed: ${(e as Error).message}`);
          }
          await sleep(cfg.pollMs);
        }
      })();
      log(`step ${rate} ev/s for ${cfg.windowS} s`);
      const sent = await drive(ing.url, key, load, rate, cfg.windowS, (events, at) => probe.accepted(events, at));
      sampling = false;
      await sampler;
      const driver = process.cpuUsage(driver0);
      const cpu1 = services.map((s) => s.cpu());
      const infra1 = infraCpu();
      const m1 = machineBusySeconds();
      const secs = sent.seconds;
      const acceptedPerSec = sent.accepted / secs;
      const secondHalf = lagSamples.filter((s) => s.t >= cfg.windowS / 2);
      const maxLag: Record<string, number> = {};
      for (const s of secondHalf) for (const [g, l] of Object.entries(s.lags)) maxLag[g] = Math.max(maxLag[g] ?? 0, l);
      const bound = rate * cfg.lagBoundS;
      const over = Object.entries(maxLag).filter(([, l]) => l > bound);
      const accepted = acceptedPerSec >= 0.95 * rate;
      const why = !accepted
        ? `ingestion accepted ${round(acceptedPerSec)} of ${rate} ev/s`
        : over.length > 0
          ? `lag above ${bound} (${cfg.lagBoundS} s of traffic): ${over.map(([g, l]) => `${g}=${l}`).join(', ')}`
          : 'ok';
      // latency samples still in flight finish during the drain
      const drainStarted = Date.now();
      const drained = await waitDrained(admin, cfg.drainS, 0, () => probe.poll());
      const step: StepResult = {
        offeredPerSec: rate,
        acceptedPerSec: round(acceptedPerSec),
        windowS: round(secs, 1),
        sustained: why === 'ok',
        why,
        maxLagSecondHalf: nonZero(maxLag),
        finalLag: nonZero(lagSamples.at(-1)?.lags ?? {}),
        drainedInS: drained ? round((Date.now() - drainStarted) / 1000, 1) : null,
        e2eRoiLedgerMs: { p50: quantile(probe.roi, 0.5), p99: quantile(probe.roi, 0.99), samples: probe.roi.length },
        e2eContentWindowMs: { p50: quantile(probe.co, 0.5), p99: quantile(probe.co, 0.99), samples: probe.co.length },
        cpuCores: Object.fromEntries(services.map((s, i) => [s.name, round((cpu1[i] - cpu0[i]) / secs, 2)])),
        cpuUsPerAcceptedEvent: Object.fromEntries(services.map((s, i) => [s.name, round(((cpu1[i] - cpu0[i]) / Math.max(1, sent.accepted)) * 1e6, 1)])),
        servicesUsPerEvent: round((services.reduce((a, _, i) => a + cpu1[i] - cpu0[i], 0) / Math.max(1, sent.accepted)) * 1e6, 1),
        infraCores: Object.fromEntries(Object.keys(infra1).map((k) => [k, Math.max(0, round((infra1[k] - (infra0[k] ?? 0)) / secs, 2))])),
        totalUsPerEvent: 0,
        marginalUsPerEvent: 0,
        cpuCeilingEventsPerSec: 0,
        machineBusyCores: round((m1.busy - m0.busy) / secs, 2),
        driverCores: round((driver.user + driver.system) / 1e6 / secs, 2),
        load1: round(loadavg()[0], 2),
      };
      const infraSeconds = Object.keys(infra1).reduce((a, k) => a + Math.max(0, infra1[k] - (infra0[k] ?? 0)), 0);
      step.totalUsPerEvent = round(step.servicesUsPerEvent + (infraSeconds / Math.max(1, sent.accepted)) * 1e6, 1);
      // ceiling: the cores left after the idle load, divided by what one more event costs
      const idle = Object.values((result.idleCores as Record<string, number> | undefined) ?? {}).reduce((a, c) => a + Math.max(0, c), 0);
      step.marginalUsPerEvent = round(Math.max(0, step.totalUsPerEvent - (idle * secs * 1e6) / Math.max(1, sent.accepted)), 1);
      step.cpuCeilingEventsPerSec = step.marginalUsPerEvent > 0 ? round(((cores - idle) * 1e6) / step.marginalUsPerEvent) : 0;
      probe.roiPending.clear();
      probe.coPending.clear();
      steps.push(step);
      writeFileSync(cfg.out, JSON.stringify({ ...result, steps, partial: true }, null, 2)); // a killed run still leaves its steps
      log(`  → ${JSON.stringify(step)}`);
      if (!step.sustained) break;
    }

    // 3. ingestion unthrottled, same run (the platform keeps consuming behind it)
    if (cfg.burstS > 0) {
      const cpu0 = byName('ingestion').cpu();
      const b = await drive(ing.url, key, load, 0, cfg.burstS, () => undefined);
      const ingestionCores = round((byName('ingestion').cpu() - cpu0) / b.seconds, 2);
      result.ingestionBurst = { acceptedPerSec: round(b.accepted / b.seconds), seconds: round(b.seconds, 1), ingestionCores, requestsInFlight: 8, eventsPerRequest: cfg.batch };
      log(`ingestion burst: ${JSON.stringify(result.ingestionBurst)}`);
    }
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    for (const s of SERVICES) await pg.query(`DROP SCHEMA IF EXISTS "${schemaPrefix}${s.replace(/-/g, '_')}" CASCADE`).catch(() => undefined);
    await pg.end();
    await admin.disconnect();
  }

  const best = steps.filter((s) => s.sustained).pop() ?? null;
  const java = (result.yardsticks as { javaProducerPerf?: { recordsPerSec?: number } }).javaProducerPerf?.recordsPerSec;
  const burst = (result.ingestionBurst as { acceptedPerSec?: number } | undefined)?.acceptedPerSec;
  result.pipeline = {
    sustainedEventsPerSec: best?.offeredPerSec ?? 0,
    sustainedPerCore: round((best?.offeredPerSec ?? 0) / cores),
    firstUnsustainedStep: steps.find((s) => !s.sustained)?.offeredPerSec ?? null,
    whyNotHigher: steps.find((s) => !s.sustained)?.why ?? 'every step held: raise PIPELINE_RATES',
    e2eRoiLedgerP50Ms: best?.e2eRoiLedgerMs.p50 ?? null,
    e2eRoiLedgerP99Ms: best?.e2eRoiLedgerMs.p99 ?? null,
    e2eContentWindowP50Ms: best?.e2eContentWindowMs.p50 ?? null,
    e2eContentWindowP99Ms: best?.e2eContentWindowMs.p99 ?? null,
    targetEventsPerSec: 10_000,
    // CPU the whole platform spent per event at the highest step that was offered (µs, all processes incl. the broker,
    // Postgres and Redis; on a shared machine those include others' load) and the rate this machine's cores allow at that cost
    cpuUsPerEvent: steps.at(-1)?.totalUsPerEvent ?? null,
    marginalCpuUsPerEvent: steps.at(-1)?.marginalUsPerEvent ?? null,
    cpuCeilingEventsPerSec: steps.at(-1)?.cpuCeilingEventsPerSec ?? null,
    cpuUsPerEventByProcess: { ...(steps.at(-1)?.cpuUsPerAcceptedEvent ?? {}), ...infraUsPerEvent(steps.at(-1)) },
    ...(java ? { ratioToJavaProducer: round((best?.offeredPerSec ?? 0) / java, 3) } : {}),
  };
  if (burst && java) result.ingestionRatioToJavaProducer = round(burst / java, 3);
  result.steps = steps;
  result.notes = `run prefix ${prefix}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  writeFileSync(cfg.out, JSON.stringify(result, null, 2));
  printTable(result);
}

function infraUsPerEvent(step: StepResult | undefined): Record<string, number> {
  if (!step || step.acceptedPerSec <= 0) return {};
  return Object.fromEntries(Object.entries(step.infraCores).map(([k, cores]) => [k, round((cores / step.acceptedPerSec) * 1e6, 1)]));
}

async function waitDrained(admin: ReturnType<Kafka['admin']>, seconds: number, atMost: number, each?: () => Promise<void>): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const lags = await groupLags(admin).catch(() => null);
    await each?.().catch(() => undefined);
    if (lags && Object.values(lags).every((l) => l <= atMost)) return true;
    await sleep(500);
  }
  return false;
}

function printTable(r: Record<string, unknown>): void {
  const p = r.pipeline as Record<string, number | string | null>;
  const y = r.yardsticks as Record<string, Record<string, number | string>>;
  const rows: [string, string][] = [
    ['pipeline sustained events/s (lag bounded for the window)', `${p.sustainedEventsPerSec} (${p.sustainedPerCore}/core); next step ${p.firstUnsustainedStep ?? '-'}: ${p.whyNotHigher}`],
    ['CPU per event, all processes, total / marginal (µs) → ceiling on these cores (events/s)', `${p.cpuUsPerEvent ?? '-'} / ${p.marginalCpuUsPerEvent ?? '-'} → ${p.cpuCeilingEventsPerSec ?? '-'}`],
    ['e2e 202 → ROI ledger row p50/p99 ms', `${p.e2eRoiLedgerP50Ms ?? '-'} / ${p.e2eRoiLedgerP99Ms ?? '-'}`],
    ['e2e 202 → content-optimiser window p50/p99 ms', `${p.e2eContentWindowP50Ms ?? '-'} / ${p.e2eContentWindowP99Ms ?? '-'}`],
    ['ingestion unthrottled accepted events/s', String((r.ingestionBurst as Record<string, number> | undefined)?.acceptedPerSec ?? '-')],
    ['Java ProducerPerformance records/s (186 B, acks=all, idempotent)', String(y.javaProducerPerf?.recordsPerSec ?? y.javaProducerPerf?.error ?? '-')],
    ['kafkajs records/s, one record per event', String(y.kafkajsRecordPerEvent?.recordsPerSec ?? '-')],
    ['kafkajs events/s, one record per 500-event request', String(y.kafkajsRecordPerRequest?.eventsPerSec ?? '-')],
  ];
  const w = Math.max(...rows.map((x) => x[0].length));
  console.log(`\npipeline bench — ${String(r.cores)} cores, ${String(r.generatedAt)}`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);
  for (const s of r.steps as StepResult[]) {
    console.log(`  step ${s.offeredPerSec}: ${s.sustained ? 'held' : 'NOT held'} (${s.why}); CPU µs/event ${JSON.stringify(s.cpuUsPerAcceptedEvent)} (services ${s.servicesUsPerEvent}, all ${s.totalUsPerEvent}, marginal ${s.marginalUsPerEvent} → ceiling ${s.cpuCeilingEventsPerSec} ev/s); infra cores ${JSON.stringify(s.infraCores)}; machine busy ${s.machineBusyCores} cores, load ${s.load1}`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  });
}
