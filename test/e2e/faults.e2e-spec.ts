/**
 * Infrastructure faults under the running services (separate processes), each on a PRIVATE broker or database so
 * the shared ones are never touched:
 *  1. Kafka stopped for a few seconds mid-stream, then started again (same data);
 *  2. Postgres stopped mid-stream for 5 s, then started again (a restart with a visible outage).
 * Afterwards nothing acknowledged is lost and nothing is counted twice (every 202'd eventId exactly once in clean
 * data; the ROI ledger equals the paid amounts sent, to the fen), and the run prints how long recovery took.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { describeWithInfra, Infra, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { http, OPERATOR_TOKEN, Platform } from './harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const INFRA = join(ROOT, 'tools/infra/infra.sh');
const PG = join(ROOT, 'tools/infra/private-postgres.sh');
const SERVICES = ['ingestion', 'cleaning', 'roi'];

async function topicCount(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

interface Ev {
  eventId: string;
  type: string;
  occurredAt: string;
  userId: string;
  liveSessionId?: string;
  payload: Record<string, unknown>;
}

/** A stream with explicit eventIds: likes, room entries and paid orders (so ROI can reconcile to the fen). */
function stream(tag: string, n: number): { events: Ev[]; paidFen: number } {
  const t0 = Date.now() - 3_600_000;
  let paidFen = 0;
  const events: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(t0 + i * 1000).toISOString();
    const user = `u${i % 37}`;
    if (i % 10 === 0) {
      const fen = 9_900 + (i % 7) * 100;
      paidFen += fen;
      events.push({ eventId: `${tag}-${i}`, type: 'order.paid', occurredAt: at, userId: user, liveSessionId: 'ls-f', payload: { orderId: `o-${tag}-${i}`, amount: { amountMinor: fen, currency: 'CNY' } } });
    } else if (i % 3 === 0) events.push({ eventId: `${tag}-${i}`, type: 'live.room.entered', occurredAt: at, userId: user, liveSessionId: 'ls-f', payload: {} });
    else events.push({ eventId: `${tag}-${i}`, type: 'live.like', occurredAt: at, userId: user, liveSessionId: 'ls-f', payload: { count: 1 } });
  }
  return { events, paidFen };
}

/** Posts one batch; answers the status (never throws on 5xx: the caller decides). */
async function post(url: string, key: string, events: Ev[]): Promise<{ status: number; retryAfter: string | null }> {
  const res = await fetch(`${url}/v1/events/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(events),
    signal: AbortSignal.timeout(30_000),
  }).catch(() => null);
  if (!res) return { status: 0, retryAfter: null };
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

/** Common body of both scenarios: tenant, keys propagated, and the checks after the fault. */
class Scenario {
  key = '';
  readonly tenant = `faults-${Date.now().toString(36)}`;
  readonly accepted = new Set<string>();
  constructor(
    readonly platform: Platform,
    readonly infra: Infra,
    readonly prefix: string,
  ) {}

  get ingestion(): string {
    return this.platform.svc('ingestion').url;
  }

  async setUp(): Promise<void> {
    await this.platform.start(SERVICES);
    const created = await http<{ apiKey: { key: string } }>('POST', `${this.ingestion}/v1/admin/tenants`, { tenantId: this.tenant, name: 'Faults' }, { 'x-operator-token': OPERATOR_TOKEN });
    expect(created.status).toBe(201);
    this.key = created.body.apiKey.key;
    for (const [svc, path] of [
      ['cleaning', '/v1/rejections/stats'],
      ['roi', '/v1/roi/reports?dimension=all'],
    ] as const) {
      await waitFor(`${svc} to know the key`, async () => (await http('GET', `${this.platform.svc(svc).url}${path}`, undefined, this.auth())).status === 200, 60_000, 250);
    }
  }

  auth(): Record<string, string> {
    return { authorization: `Bearer ${this.key}` };
  }

  /** Sends until 202, retrying 503s (the documented answer while a dependency is down). Returns the 503s seen. */
  async sendAll(batch: Ev[], until = 120_000): Promise<number> {
    let unavailable = 0;
    const deadline = Date.now() + until;
    for (;;) {
      const r = await post(this.ingestion, this.key, batch);
      if (r.status === 202) {
        for (const e of batch) this.accepted.add(e.eventId);
        return unavailable;
      }
      if (r.status !== 503 && r.status !== 0) throw new Error(`ingestion answered ${r.status}`);
      unavailable++;
      if (Date.now() > deadline) throw new Error(`ingestion still unavailable after ${until} ms`);
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  async ready(svc: string): Promise<number> {
    return (await http('GET', `${this.platform.svc(svc).url}/health/ready`)).status;
  }

  /** Waits until cleaning accounted for every raw event and ROI holds every paid order; then checks exactly-once. */
  async caughtUp(sent: Ev[], paidFen: number): Promise<void> {
    const brokers = this.infra.kafkaBrokers;
    let state: Record<string, unknown> = {};
    await waitFor(
      'cleaning to account for every raw event and ROI for every paid order',
      async () => {
        const raw = await topicCount(brokers, `${this.prefix}ingest.raw.v1`);
        const clean = await topicCount(brokers, `${this.prefix}events.clean.v1`);
        const s = await http<{ total: number }>('GET', `${this.platform.svc('cleaning').url}/v1/rejections/stats?from=2000-01-01T00:00:00Z`, undefined, this.auth());
        const roi = await http<{ totals: { revenue: { grossPaidMinor: number } } }>(
          'GET',
          `${this.platform.svc('roi').url}/v1/roi/reports?dimension=all&from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`,
          undefined,
          this.auth(),
        );
        state = { raw, clean, discarded: s.body.total, roiGrossPaid: roi.body.totals?.revenue.grossPaidMinor, paidFen };
        return s.status === 200 && clean + s.body.total >= raw && roi.status === 200 && roi.body.totals.revenue.grossPaidMinor === paidFen;
      },
      240_000,
      500,
    ).catch((e: unknown) => {
      const logs = ['cleaning', 'roi'].map((n) => `--- ${n} ---\n${this.platform.svc(n).output.join('').slice(-3000)}`).join('\n');
      throw new Error(`${e instanceof Error ? e.message : String(e)}; last ${JSON.stringify(state)}\n${logs}`);
    });
    const raw = await topicCount(brokers, `${this.prefix}ingest.raw.v1`);
    const cleanEvents = (await readTopic(brokers, `${this.prefix}events.clean.v1`, raw, 20_000)).map((m) => (JSON.parse(m.value) as { eventId: string }).eventId);
    // every acknowledged event is in clean data exactly once; nothing that was not sent appears
    expect(new Set(cleanEvents).size).toBe(cleanEvents.length);
    expect([...this.accepted].filter((id) => !cleanEvents.includes(id))).toEqual([]);
    expect(new Set(cleanEvents)).toEqual(new Set(sent.map((e) => e.eventId)));
    // raw = clean + counted discards (a retried batch whose first attempt had been written shows up as duplicates)
    const s = await http<{ total: number; byReason: { reason: string; count: number }[] }>(
      'GET',
      `${this.platform.svc('cleaning').url}/v1/rejections/stats?from=2000-01-01T00:00:00Z`,
      undefined,
      this.auth(),
    );
    expect(cleanEvents.length + s.body.total).toBe(raw);
    expect(s.body.byReason.every((r) => r.reason === 'duplicate_event_id')).toBe(true);
  }
}

function recordFault(name: string, figures: Record<string, number>): void {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'faults.json');
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    /* first one */
  }
  all[name] = { ...figures, date: new Date().toISOString(), how: 'test/e2e/faults.e2e-spec.ts: services as separate processes on a private broker/database; times from the dependency being back (its start command returned) to the state named' };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  process.stderr.write(`[e2e] ${name}: ${JSON.stringify(figures)}\n`);
}

const haveJava = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const havePostgresServer = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0;
const required = process.env.LIVEPROMO_REQUIRE_INFRA === '1';
if (required && (!haveJava || !havePostgresServer)) throw new Error('LIVEPROMO_REQUIRE_INFRA=1 but java or the PostgreSQL server binaries are missing for the fault tests');

/** describeWithInfra when the tools for the fault exist; a loud skip otherwise (the body must not touch infra eagerly). */
function describeFault(available: boolean, name: string, fn: (infra: Infra) => void): void {
  if (available) describeWithInfra(name, fn);
  else describe.skip(`${name} [skipped: the tools for this fault are missing]`, () => fn(null as unknown as Infra));
}

describeFault(haveJava, 'Kafka stopped for a few seconds mid-stream (private broker)', (infra) => {
  const cache = mkdtempSync(join(tmpdir(), 'livepromo-kafka-fault-'));
  const port = 19_392 + Math.floor(Math.random() * 50) * 2;
  const sharedLibs = join(ROOT, '.cache/infra/kafka/libs');
  const env = {
    ...process.env,
    LIVEPROMO_INFRA_CACHE: cache,
    LIVEPROMO_KAFKA_PORT: String(port),
    LIVEPROMO_KAFKA_CONTROLLER_PORT: String(port + 1),
    ...(existsSync(join(sharedLibs, '.complete')) ? { LIVEPROMO_KAFKA_LIBS: sharedLibs } : {}),
  };
  const broker = (cmd: 'kafka-up' | 'kafka-down') => run('bash', [INFRA, cmd], { env, timeout: 240_000 });
  const prefix = uniquePrefix('fk');
  let platform: Platform;
  let sc: Scenario;

  beforeAll(async () => {
    const privateInfra: Infra = { ...infra, kafkaBrokers: [`127.0.0.1:${port}`] };
    platform = new Platform(privateInfra, prefix, 5300 + Math.floor(Math.random() * 40) * 10);
    sc = new Scenario(platform, privateInfra, prefix);
    await broker('kafka-up');
    await sc.setUp();
  }, 400_000);

  afterAll(async () => {
    await platform?.stop();
    await broker('kafka-down').catch(() => undefined);
  }, 120_000);

  it('refuses with 503 while the broker is down, never 202, and loses or doubles nothing once it is back', async () => {
    const { events, paidFen } = stream(`k${Date.now().toString(36)}`, 600);
    const batches = Array.from({ length: 12 }, (_, i) => events.slice(i * 50, i * 50 + 50));
    for (const b of batches.slice(0, 4)) await sc.sendAll(b);

    await broker('kafka-down');
    const down: number[] = [];
    for (const b of batches.slice(4, 6)) {
      const r = await post(sc.ingestion, sc.key, b);
      down.push(r.status);
      if (r.status === 202) for (const e of b) sc.accepted.add(e.eventId); // would be a bug: asserted below
    }
    expect(down.every((s) => s === 503)).toBe(true);
    expect(await sc.ready('ingestion')).toBe(503);

    await broker('kafka-up');
    const back = Date.now();
    const unavailableAfter = await sc.sendAll(batches[4]);
    const firstAccept = Date.now() - back;
    for (const b of batches.slice(5)) await sc.sendAll(b);
    await sc.caughtUp(events, paidFen);
    const caughtUp = Date.now() - back;
    await waitFor('every service ready', async () => (await Promise.all(SERVICES.map((s) => sc.ready(s)))).every((s) => s === 200), 60_000, 250);
    recordFault('kafkaStoppedBriefly', { events: events.length, answers503WhileDown: down.length, answers503AfterRestart: unavailableAfter, msToFirst202: firstAccept, msToCaughtUp: caughtUp });
  }, 600_000);
});

describeFault(havePostgresServer, 'Postgres restarted mid-stream (private instance)', (infra) => {
  const dir = mkdtempSync(join(tmpdir(), 'livepromo-pg-fault-'));
  const port = 55_432 + Math.floor(Math.random() * 100);
  const pg = (cmd: 'up' | 'stop' | 'down') => run('bash', [PG, cmd, dir, String(port)], { timeout: 120_000 });
  const prefix = uniquePrefix('fp');
  let platform: Platform;
  let sc: Scenario;

  beforeAll(async () => {
    const privateInfra: Infra = { ...infra, databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres` };
    platform = new Platform(privateInfra, prefix, 5800 + Math.floor(Math.random() * 40) * 10);
    sc = new Scenario(platform, privateInfra, prefix);
    await pg('up');
    await sc.setUp();
  }, 400_000);

  afterAll(async () => {
    await platform?.stop();
    await pg('down').catch(() => undefined);
  }, 120_000);

  it('answers 503 where it needs the database, and loses or doubles nothing once Postgres is back', async () => {
    const { events, paidFen } = stream(`p${Date.now().toString(36)}`, 600);
    const batches = Array.from({ length: 12 }, (_, i) => events.slice(i * 50, i * 50 + 50));
    for (const b of batches.slice(0, 4)) await sc.sendAll(b);
    // stop Postgres while the consumers work through what was just sent; keep sending; start it 5 s later
    await pg('stop');
    const stopped = Date.now();
    await waitFor('cleaning and roi to report not ready', async () => (await sc.ready('cleaning')) === 503 && (await sc.ready('roi')) === 503, 30_000, 100);
    const notReadyAfter = Date.now() - stopped;
    const sending = (async () => {
      for (const b of batches.slice(4, 8)) await sc.sendAll(b, 180_000);
    })();
    await new Promise((r) => setTimeout(r, 5_000));
    await pg('up');
    const back = Date.now();
    await sending;
    for (const b of batches.slice(8)) await sc.sendAll(b);
    await waitFor('every service ready', async () => (await Promise.all(SERVICES.map((s) => sc.ready(s)))).every((s) => s === 200), 60_000, 100);
    const readyAgain = Date.now() - back;
    await sc.caughtUp(events, paidFen);
    const caughtUp = Date.now() - back;
    recordFault('postgresRestarted', { events: events.length, downMs: back - stopped, msToNotReady: notReadyAfter, msToAllReady: readyAgain, msToCaughtUp: caughtUp });
  }, 600_000);
});

