/**
 * Replicas under fault (#21 item 1), services as separate processes over real Kafka, Postgres and Redis:
 * two replicas each of cleaning, content-optimiser, roi and user-profile (one ingestion); while a stream flows a third replica of
 * cleaning and of content-optimiser joins, then one replica of each consumer service is SIGKILLed. Afterwards:
 * raw = clean + counted discards (+ dead letters), every event clean exactly once, the ROI ledger equals what was
 * paid to the fen, profiles count each paid order once, no duplicated suggestion or ledger row, and every content-optimiser window equals the one a
 * single replica computes from the same clean events (replayed into a second, private prefix).
 * Rebalance pauses are measured from the groups' committed offsets and written to bench/results/replicas.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { KafkaBus } from '@livepromo/messaging';
import { describeWithInfra, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { http, OPERATOR_TOKEN, ServiceProcess } from './harness';

const ROOT = join(__dirname, '..', '..');
const PARTITIONS = 6;
const SESSIONS = 6;

interface Ev {
  eventId: string;
  type: string;
  occurredAt: string;
  userId: string;
  liveSessionId: string;
  payload: Record<string, unknown>;
}

/** Several live sessions (spread over partitions): room entries, likes and paid orders with explicit eventIds. */
function stream(tag: string, n: number): { events: Ev[]; paidFen: number } {
  const t0 = Date.now() - 2 * 3_600_000;
  let paidFen = 0;
  const events: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const session = `ls-${tag}-${i % SESSIONS}`;
    const at = new Date(t0 + Math.floor(i / SESSIONS) * 2000).toISOString();
    const user = `u${i % 53}`;
    if (i % 10 === 0) {
      const fen = 9_900 + (i % 7) * 100;
      paidFen += fen;
      events.push({ eventId: `${tag}-${i}`, type: 'order.paid', occurredAt: at, userId: user, liveSessionId: session, payload: { orderId: `o-${tag}-${i}`, amount: { amountMinor: fen, currency: 'CNY' } } });
    } else if (i % 3 === 0) events.push({ eventId: `${tag}-${i}`, type: 'live.room.entered', occurredAt: at, userId: user, liveSessionId: session, payload: {} });
    else events.push({ eventId: `${tag}-${i}`, type: 'live.like', occurredAt: at, userId: user, liveSessionId: session, payload: { count: 1 + (i % 3) } });
  }
  return { events, paidFen };
}

function envFor(infra: { kafkaBrokers: string[]; databaseUrl: string; redisUrl: string }, prefix: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    LOG_LEVEL: 'warn',
    LIVEPROMO_TOPIC_PREFIX: prefix,
    LIVEPROMO_SCHEMA_PREFIX: prefix.replace(/[^a-z0-9_]/g, '_'),
    KAFKA_PARTITIONS: String(PARTITIONS),
    OPERATOR_TOKEN,
    SECRET_ENCRYPTION_KEY: 'e2e-secret-encryption-key-0123456789',
    SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  };
}

async function topicCount(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
}

/** Messages of `topic` the group has not committed yet. */
async function groupLag(admin: Admin, prefix: string, group: string, topic: string): Promise<number> {
  const [ends, offs] = await Promise.all([admin.fetchTopicOffsets(prefix + topic), admin.fetchOffsets({ groupId: prefix + group, topics: [prefix + topic] })]);
  const committed = new Map((offs[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((s, p) => s + Math.max(0, Number(p.high) - Math.max(Number(p.low), committed.get(p.partition) ?? -1)), 0);
}

/** Samples each group's committed offsets; a pause = time its committed total stood still while it had lag. */
class PauseMonitor {
  private timer: NodeJS.Timeout | null = null;
  /** Longest stall per phase (label) and group, in ms. */
  readonly pauses: Record<string, Record<string, number>> = {};
  private readonly state = new Map<string, { committed: number; since: number }>();
  private label = 'start';
  constructor(
    private readonly admin: Admin,
    private readonly prefix: string,
    private readonly groups: { group: string; topic: string }[],
  ) {}

  mark(label: string): void {
    this.label = label;
  }

  start(): void {
    const tick = async () => {
      const now = Date.now();
      for (const { group, topic } of this.groups) {
        const [ends, offs] = await Promise.all([this.admin.fetchTopicOffsets(this.prefix + topic), this.admin.fetchOffsets({ groupId: this.prefix + group, topics: [this.prefix + topic] })]);
        const high = ends.reduce((s, p) => s + Number(p.high), 0);
        const committed = (offs[0]?.partitions ?? []).reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
        const prev = this.state.get(group);
        if (!prev || committed !== prev.committed || committed >= high) this.state.set(group, { committed, since: now });
        else {
          const stalled = now - prev.since;
          const phase = (this.pauses[this.label] ??= {});
          phase[group] = Math.max(phase[group] ?? 0, stalled);
        }
      }
    };
    const loop = () => {
      tick()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, 250);
        });
    };
    this.timer = setTimeout(loop, 250);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

describeWithInfra('replicas under fault: scale out and SIGKILL mid-stream', (infra) => {
  const prefix = uniquePrefix('rep');
  const refPrefix = uniquePrefix('repref');
  const env = envFor(infra, prefix);
  const base = 7000 + Math.floor(Math.random() * 40) * 20; // clear of the other e2e suites (4400-6200)
  let port = base;
  const procs: ServiceProcess[] = [];
  const spawnService = (name: string, e: NodeJS.ProcessEnv = env) => {
    const p = new ServiceProcess(name, port++, e);
    procs.push(p);
    p.start();
    return p;
  };
  let admin: Admin;
  let pg: Client;
  let monitor: PauseMonitor | null = null;
  let key = '';
  const tenant = `rep-${Date.now().toString(36)}`;
  const schema = (svc: string, p = prefix) => `${p.replace(/[^a-z0-9_]/g, '_')}${svc.replace(/-/g, '_')}`;

  beforeAll(async () => {
    admin = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    pg = new Client({ connectionString: infra.databaseUrl });
    await pg.connect();
  });

  afterAll(async () => {
    monitor?.stop();
    // SIGTERM (drain and commit), SIGKILL whatever has not exited after 20 s
    await Promise.all(
      procs.map(async (p) => {
        if (!p.child || p.child.exitCode !== null || p.child.signalCode !== null) return; // already gone (SIGKILLed)
        const gone = p.kill('SIGTERM');
        const t = new Promise((r) => setTimeout(r, 20_000).unref());
        if ((await Promise.race([gone.then(() => 'gone'), t])) !== 'gone') await p.kill('SIGKILL');
      }),
    );
    for (const p of [prefix, refPrefix]) {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(p));
      if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
      for (const svc of ['ingestion', 'cleaning', 'roi', 'content-optimiser', 'user-profile']) await pg.query(`DROP SCHEMA IF EXISTS "${schema(svc, p)}" CASCADE`).catch(() => undefined);
    }
    await admin.disconnect();
    await pg.end();
  }, 120_000);

  it('loses, doubles and changes nothing; windows equal a single replica run', async () => {
    const ingestion = spawnService('ingestion');
    await ingestion.ready();
    const replicas: Record<string, ServiceProcess[]> = { cleaning: [], roi: [], 'content-optimiser': [], 'user-profile': [] };
    for (const name of Object.keys(replicas)) for (let i = 0; i < 2; i++) replicas[name].push(spawnService(name));
    await Promise.all(Object.values(replicas).flat().map((p) => p.ready()));
    const created = await http<{ apiKey: { key: string } }>('POST', `${ingestion.url}/v1/admin/tenants`, { tenantId: tenant, name: 'Replicas' }, { 'x-operator-token': OPERATOR_TOKEN });
    expect(created.status).toBe(201);
    key = created.body.apiKey.key;
    const auth = { authorization: `Bearer ${key}` };
    for (const p of replicas.cleaning) await waitFor(`${p.url} to know the key`, async () => (await http('GET', `${p.url}/v1/rejections/stats`, undefined, auth)).status === 200, 60_000, 250);

    monitor = new PauseMonitor(admin, prefix, [
      { group: 'cleaning.raw', topic: 'ingest.raw.v1' },
      { group: 'content-optimiser.live-windows', topic: 'events.clean.v1' },
      { group: 'roi.ledger', topic: 'events.clean.v1' },
      { group: 'user-profile.profiles', topic: 'events.clean.v1' },
    ]);
    monitor.start();
    const { events, paidFen } = stream(`r${Date.now().toString(36)}`, 3000);
    const batches = Array.from({ length: 60 }, (_, i) => events.slice(i * 50, i * 50 + 50));
    const send = async (b: Ev[]) => {
      for (;;) {
        const r = await http('POST', `${ingestion.url}/v1/events/batch`, b, auth);
        if (r.status === 202) return;
        if (r.status !== 503) throw new Error(`ingestion answered ${r.status}: ${JSON.stringify(r.body)}`);
        await new Promise((res) => setTimeout(res, 250));
      }
    };
    const timeline: Record<string, number> = {};
    const t0 = Date.now();
    let thirdReady: Promise<void> | null = null;
    let thirdIsReady = false;
    for (let i = 0; i < batches.length; i++) {
      if (i === 15) {
        // the third replicas boot while the stream keeps flowing (slower until they are in, so they join mid-stream)
        monitor.mark('third replica joining');
        timeline.thirdReplicaStartedMs = Date.now() - t0;
        replicas.cleaning.push(spawnService('cleaning'));
        replicas['content-optimiser'].push(spawnService('content-optimiser'));
        thirdReady = Promise.all([replicas.cleaning[2].ready(), replicas['content-optimiser'][2].ready()]).then(() => {
          thirdIsReady = true;
          timeline.thirdReplicaReadyMs = Date.now() - t0;
        });
      }
      if (i === 40) {
        await thirdReady;
        monitor.mark('SIGKILL of one replica each');
        timeline.sigkillMs = Date.now() - t0;
        await Promise.all(Object.values(replicas).map((r) => r[0].kill('SIGKILL')));
      }
      await send(batches[i]);
      await new Promise((res) => setTimeout(res, i >= 15 && !thirdIsReady ? 1000 : 150));
    }
    timeline.lastBatchSentMs = Date.now() - t0;

    // caught up: cleaning accounted for every raw event, ROI holds every paid order
    const cleaningUrl = replicas.cleaning[1].url;
    const roiUrl = replicas.roi[1].url;
    let last: Record<string, unknown> = {};
    await waitFor(
      'cleaning and roi caught up',
      async () => {
        const raw = await topicCount(admin, `${prefix}ingest.raw.v1`);
        const clean = await topicCount(admin, `${prefix}events.clean.v1`);
        const s = await http<{ total: number }>('GET', `${cleaningUrl}/v1/rejections/stats?from=2000-01-01T00:00:00Z`, undefined, auth);
        const roi = await http<{ totals: { revenue: { grossPaidMinor: number } } }>(
          'GET',
          `${roiUrl}/v1/roi/reports?dimension=all&from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`,
          undefined,
          auth,
        );
        last = { raw, clean, discarded: s.body.total, gross: roi.body.totals?.revenue.grossPaidMinor, paidFen };
        return raw >= events.length && clean + s.body.total >= raw && roi.body.totals?.revenue.grossPaidMinor === paidFen;
      },
      240_000,
      500,
    ).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; last ${JSON.stringify(last)}`);
    });
    timeline.caughtUpMs = Date.now() - t0;

    const raw = await topicCount(admin, `${prefix}ingest.raw.v1`);
    const dlq = await topicCount(admin, `${prefix}events.dlq.v1`);
    const cleanCount = await topicCount(admin, `${prefix}events.clean.v1`);
    const cleanMsgs = await readTopic(infra.kafkaBrokers, `${prefix}events.clean.v1`, cleanCount, 60_000);
    const cleanIds = cleanMsgs.map((m) => (JSON.parse(m.value) as { eventId: string }).eventId);
    const stats = await http<{ total: number; byReason: { reason: string; count: number }[] }>('GET', `${cleaningUrl}/v1/rejections/stats?from=2000-01-01T00:00:00Z`, undefined, auth);
    // raw = clean + dead-lettered + counted discards; each sent event clean exactly once
    expect(cleanIds.length + dlq + stats.body.total).toBe(raw);
    expect(new Set(cleanIds).size).toBe(cleanIds.length);
    expect(new Set(cleanIds)).toEqual(new Set(events.map((e) => e.eventId)));
    // the ledger: one row per paid order, summing to what was sent, to the fen
    const ledger = await pg.query<{ rows: string; orders: string; fen: string }>(
      `SELECT count(*)::text AS rows, count(DISTINCT event_id)::text AS orders, coalesce(sum(amount_minor), 0)::text AS fen FROM "${schema('roi')}".ledger_entry WHERE tenant_id = $1 AND kind = 'revenue'`,
      [tenant],
    );
    expect(Number(ledger.rows[0].rows)).toBe(events.filter((e) => e.type === 'order.paid').length);
    expect(Number(ledger.rows[0].orders)).toBe(Number(ledger.rows[0].rows));
    expect(Number(ledger.rows[0].fen)).toBe(paidFen);
    // profiles: every paid order applied once (a duplicate would raise the counts and the money)
    const orders = events.filter((e) => e.type === 'order.paid').length;
    const profileSums = async () =>
      (
        await pg.query<{ paid: string; fen: string; applied: string }>(
          `SELECT coalesce(sum(paid_orders), 0)::text AS paid, coalesce(sum(monetary_minor), 0)::text AS fen, coalesce(sum(events_applied), 0)::text AS applied FROM "${schema('user-profile')}".profile WHERE tenant_id = $1`,
          [tenant],
        )
      ).rows[0];
    await waitFor('user-profile applied every paid order', async () => Number((await profileSums()).fen) >= paidFen, 120_000, 500);
    const profiles = await profileSums();
    expect({ paid: Number(profiles.paid), fen: Number(profiles.fen) }).toEqual({ paid: orders, fen: paidFen });
    // and every event applied to its profile exactly once
    expect(Number(profiles.applied)).toBe(events.length);
    // no suggestion drafted twice for the same session, trigger and window
    const dupSuggestions = await pg.query(
      `SELECT session_id, trigger, window_end_ms, count(*) FROM "${schema('content-optimiser')}".suggestion WHERE tenant_id = $1 GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      [tenant],
    );
    expect(dupSuggestions.rows).toEqual([]);

    // windows: wait until the replicas' window count is stable, then compute the same from one replica
    const windowsOf = async (p: string) => {
      const r = await pg.query<{ session_id: string; window_sec: number; window_end_ms: string; metrics: unknown }>(
        `SELECT * FROM "${schema('content-optimiser', p)}".window_metric WHERE tenant_id = $1 ORDER BY session_id, window_sec, window_end_ms`,
        [tenant],
      );
      return r.rows;
    };
    // the optimiser group has consumed every clean event (a SIGKILLed member's partitions wait for its session to expire)
    await waitFor('content-optimiser.live-windows caught up', () => groupLag(admin, prefix, 'content-optimiser.live-windows', 'events.clean.v1').then((l) => l === 0), 120_000, 500);
    let stable = { n: -1, since: Date.now() };
    await waitFor('replica windows stable for 5 s', async () => {
      const n = (await windowsOf(prefix)).length;
      if (n !== stable.n) stable = { n, since: Date.now() };
      return n > 0 && Date.now() - stable.since > 5000;
    }, 120_000, 500);
    const replicaWindows = await windowsOf(prefix);
    monitor.stop();
    const pauses = { ...monitor.pauses };

    const refEnv = envFor(infra, refPrefix);
    const refBus = new KafkaBus({ service: 'cleaning', brokers: infra.kafkaBrokers, topicPrefix: refPrefix, partitionsOverride: PARTITIONS, lagIntervalMs: 0 });
    await refBus.connect();
    await refBus.publish('events.clean.v1', cleanMsgs.map((m) => JSON.parse(m.value)) as never, { prevalidated: true });
    await refBus.close();
    const single = spawnService('content-optimiser', refEnv);
    await single.ready();
    await waitFor('the single replica consumed every clean event', () => groupLag(admin, refPrefix, 'content-optimiser.live-windows', 'events.clean.v1').then((l) => l === 0), 180_000, 500);
    stable = { n: -1, since: Date.now() };
    await waitFor('single-replica windows stable for 5 s', async () => {
      const n = (await windowsOf(refPrefix)).length;
      if (n !== stable.n) stable = { n, since: Date.now() };
      return n > 0 && Date.now() - stable.since > 5000;
    }, 120_000, 500);
    const singleWindows = await windowsOf(refPrefix);
    const strip = (rows: typeof replicaWindows) => rows.map((w) => ({ ...w, created_at: undefined, published_at: undefined }));
    expect(strip(replicaWindows)).toEqual(strip(singleWindows));

    const figures = { events: events.length, replicaWindows: replicaWindows.length, ...timeline, pauses };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'replicas.json'), `${JSON.stringify({ ...figures, date: new Date().toISOString(), how: 'test/e2e/replicas.e2e-spec.ts' }, null, 2)}\n`);
    process.stderr.write(`[e2e] replicas: ${JSON.stringify(figures)}\n`);
  }, 600_000);
});
