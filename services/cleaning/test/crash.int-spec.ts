import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, seededRandom, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { iso, rawFactory, RawInput, toMessage } from './raw-events.fixture';

const TOTAL = 3000;
const REPO = path.resolve(__dirname, '../../..');

/** A seeded stream with valid events, duplicates by id and by content, invalid ones and bot bursts. */
function buildStream(tenant: string, tag: string, base: number): { key: string | null; value: string }[] {
  const rnd = seededRandom(42);
  const raw = rawFactory(tenant, tag, base);
  const valid: RawInput[] = [];
  const out: { key: string | null; value: string }[] = [];
  for (let i = 0; out.length < TOTAL; i++) {
    const at = iso(base + i * 50);
    const r = rnd();
    const user = `u${Math.floor(rnd() * 200)}`;
    const session = `ls${Math.floor(rnd() * 20)}`;
    if (r < 0.08 && valid.length) {
      out.push(toMessage(valid[Math.floor(rnd() * valid.length)])); // re-sent under the same id
    } else if (r < 0.12 && valid.length) {
      const v = valid[Math.floor(rnd() * valid.length)];
      out.push(toMessage({ ...v, eventId: `${v.eventId}-again` })); // re-sent under a new id
    } else if (r < 0.16) {
      const kinds = [
        raw('order.paid', { occurredAt: at, payload: { amount: '9.90' } }),
        raw('not.a.type', { occurredAt: at }),
        raw('course.viewed', { occurredAt: iso(base + i * 50 + 3_600_000), receivedAt: at }),
        raw('course.viewed', { occurredAt: at, source: 'myspace' }),
      ];
      out.push(toMessage(kinds[Math.floor(rnd() * kinds.length)]));
    } else if (r < 0.28) {
      const bot = `bot${Math.floor(rnd() * 3)}`;
      out.push(toMessage(raw('live.product.clicked', { userId: bot, liveSessionId: 'ls-bot', occurredAt: iso(base + i * 5), payload: { position: i } })));
    } else {
      const t = rnd();
      const e =
        t < 0.3
          ? raw('live.comment.posted', { userId: user, liveSessionId: session, occurredAt: at, payload: { text: `question ${i}` } })
          : t < 0.5
            ? raw('live.like', { userId: user, liveSessionId: session, occurredAt: at, payload: { count: 1 + (i % 3) } })
            : t < 0.8
              ? raw('course.viewed', { userId: user, occurredAt: at, payload: { durationSec: i % 100 } })
              : raw('order.paid', { userId: user, occurredAt: at, payload: { orderId: `o-${i}`, amount: `${(i % 500) + 0.9}` } });
      valid.push(e);
      out.push(toMessage(e));
    }
  }
  return out;
}

describeWithInfra('cleaning survives SIGKILL mid-stream without losing or doubling an event', (infra) => {
  const prefix = uniquePrefix('cleancrash');
  const schemaPrefix = prefix.replace(/[^a-z0-9_]/g, '_');
  const schema = schemaFor('cleaning', schemaPrefix);
  const tenant = `t-${prefix.slice(1, 14).replace(/_/g, '')}`;
  const children: ChildProcess[] = [];
  const redeliveries: string[] = [];
  let reader: Consumer | undefined;
  let pg: Client | undefined;

  function startChild(): Promise<ChildProcess> {
    const env = { ...process.env, ...serviceTestEnv(infra, prefix, { CLEANING_BATCH_SIZE: '100', LOG_LEVEL: 'info', DEDUP_WINDOW_MS: '600000' }) };
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/cleaning/test/cleaning-child.ts'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.includes('redelivered messages recognised')) redeliveries.push(line);
    });
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('CLEANING_CHILD_READY') && resolve(child));
      child.once('exit', (code) => reject(new Error(`child exited ${code}: ${err.slice(-2000)}`)));
    });
  }

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await reader?.disconnect();
    await pg?.end().catch(() => undefined);
    if (infra) await dropSchema(infra.databaseUrl, schema);
  });

  it('clean + dead letters + counted duplicates + counted bot events equals what was sent, no eventId twice in clean', async () => {
    const kafka = new Kafka({ clientId: 'cleaning-crash', brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
    const db = new Client({ connectionString: infra.databaseUrl });
    pg = db;
    const base = Date.now() - 600_000;
    const stream = buildStream(tenant, prefix, base);
    expect(stream).toHaveLength(TOTAL);

    // the first run provisions the topics; two thirds of the stream go in before the kill, the rest while it is down
    let child = await startChild();
    const producer = kafka.producer();
    await producer.connect();
    const produce = async (from: number, to: number) => {
      for (let i = from; i < to; i += 500) await producer.send({ topic: `${prefix}ingest.raw.v1`, acks: -1, messages: stream.slice(i, Math.min(i + 500, to)) });
    };
    // a reader of events.clean.v1 that collects what cleaning published
    const seen = new Map<string, number>();
    let cleanMessages = 0;
    let killedAt = -1;
    reader = kafka.consumer({ groupId: `${prefix}crash-reader` });
    let joined = false;
    reader.on(reader.events.GROUP_JOIN, () => (joined = true));
    await reader.connect();
    await reader.subscribe({ topic: `${prefix}events.clean.v1`, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const id = (JSON.parse(message.value!.toString()) as { eventId: string }).eventId;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        cleanMessages++;
      },
    });
    await waitFor('the clean reader to join', () => joined, 30_000, 50);
    await produce(0, 2000);

    await db.connect();
    const counts = async () => {
      const r = await db.query<{ d: number; x: number; bots: number }>(
        `SELECT (SELECT count(*)::int FROM "${schema}".dead_letter) AS d, (SELECT count(*)::int FROM "${schema}".discarded_event) AS x,
                (SELECT count(*)::int FROM "${schema}".discarded_event WHERE reason = 'bot_traffic') AS bots`,
      );
      return r.rows[0];
    };
    // SIGKILL once ~40 events were dead-lettered or discarded: a moment unrelated to when batches are published
    await waitFor('progress to kill at', async () => {
      const c = await counts();
      return c.d + c.x >= 40;
    }, 60_000, 20);
    killedAt = cleanMessages;
    child.kill('SIGKILL');
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

    await produce(2000, TOTAL);
    await producer.disconnect();

    const atKill = await counts();
    child = await startChild();
    let last = '';
    await waitFor(
      'every event accounted for',
      async () => {
        const c = await counts();
        last = JSON.stringify({ clean: seen.size, ...c });
        return seen.size + c.d + c.x >= TOTAL;
      },
      90_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 1000)); // anything late would show up here
    const c = await counts();
    const doubled = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    process.stdout.write(`crash test: killed when the reader had seen ${killedAt} clean; at kill ${JSON.stringify(atKill)}; final ${last}\nredeliveries: ${redeliveries.join('\n')}\n`);
    expect(doubled).toEqual([]);
    expect(cleanMessages).toBe(seen.size);
    expect(seen.size + c.d + c.x).toBe(TOTAL);
    expect(c.bots).toBeGreaterThan(0);
    expect(c.x - c.bots).toBeGreaterThan(0);
    expect(c.d).toBeGreaterThan(0);
    // it really was mid-stream: the first process had not finished what it had been given
    expect(killedAt + atKill.d + atKill.x).toBeLessThan(2000);
  }, 150_000);
});
