import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { DeadLetter, EVENT_TYPES, EventType, TOPIC_NAMES, TOPICS, TopicName } from '@livepromo/contracts';
import { describeWithInfra, makeEvent, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { KafkaBus, PublishValidationError } from '../src';
import { EffectStore } from './effect-store';

function topicFor(type: EventType): TopicName {
  const t = TOPIC_NAMES.find((n) => (TOPICS[n].eventTypes as readonly string[] | null)?.includes(type));
  if (!t) throw new Error(`no topic carries ${type}`);
  return t;
}

describeWithInfra('KafkaBus over a real broker', (infra) => {
  const prefix = uniquePrefix('msg');
  const schema = prefix.replace(/[^a-z0-9_]/g, '_') + 'effects';
  let bus: KafkaBus;
  let pool: Pool;

  beforeAll(async () => {
    bus = new KafkaBus({ service: 'cleaning', brokers: infra.kafkaBrokers, topicPrefix: prefix, partitionsOverride: 2 });
    await bus.connect();
    pool = new Pool({ connectionString: infra.databaseUrl, max: 4 });
  });

  afterAll(async () => {
    await bus.deleteOwnTopics().catch(() => undefined);
    await bus.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('provisions every registry topic with its partitions', async () => {
    const admin = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: TOPIC_NAMES.map((t) => prefix + t) });
    await admin.disconnect();
    expect(meta.topics.map((t) => t.name).sort()).toEqual(TOPIC_NAMES.map((t) => prefix + t).sort());
    for (const t of meta.topics) expect(t.partitions).toHaveLength(2);
  });

  it('round-trips every event type through Kafka, validated on publish and on consume', async () => {
    const sent = new Map<string, unknown>();
    const byTopic = new Map<TopicName, unknown[]>();
    for (const type of EVENT_TYPES) {
      const e = makeEvent(type, { tenantId: 'rt-tenant', eventId: `rt-${type}` });
      sent.set(e.eventId, e);
      const topic = topicFor(type);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), e]);
    }
    const received = new Map<string, unknown>();
    const subs = await Promise.all(
      [...byTopic.keys()].map((topic) =>
        bus.subscribe({
          topic,
          groupId: `roundtrip-${topic}`,
          handler: async (batch) => {
            for (const m of batch) received.set((m.value as { eventId: string }).eventId, m.value);
          },
        }),
      ),
    );
    for (const [topic, events] of byTopic) await bus.publish(topic, events as never);
    await waitFor(`all ${sent.size} event types back`, () => received.size >= sent.size, 60000);
    await Promise.all(subs.map((s) => s.stop()));
    expect([...received.keys()].sort()).toEqual([...sent.keys()].sort());
    for (const [id, e] of sent) expect(received.get(id)).toEqual(e);
  });

  it('refuses to publish an invalid event and writes nothing', async () => {
    const bad = { ...makeEvent('order.paid', { eventId: 'never-written' }), payload: { orderId: 'o', amount: { amountMinor: 1.5, currency: 'CNY' } } };
    await expect(bus.publish('events.clean.v1', [bad] as never)).rejects.toBeInstanceOf(PublishValidationError);
  });

  it('dead-letters malformed and invalid messages with their reason and original bytes, and keeps consuming', async () => {
    const raw = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await raw.connect();
    const invalid = JSON.stringify({ ...makeEvent('live.like', { eventId: 'dlq-invalid' }), payload: { count: 'many' } });
    await raw.send({ topic: prefix + 'events.clean.v1', messages: [{ key: 'k1', value: '{"this is": not json' }, { key: 'k2', value: invalid }] });
    await raw.disconnect();
    const good = makeEvent('live.like', { eventId: 'dlq-good' });
    await bus.publish('events.clean.v1', [good] as never);

    const seen: string[] = [];
    const sub = await bus.subscribe({ topic: 'events.clean.v1', groupId: 'dlq-test', handler: async (b) => void seen.push(...b.map((m) => m.value.eventId)) });
    await waitFor('the valid event', () => seen.includes('dlq-good'), 30000);
    await sub.stop();

    const letters = (await readTopic(infra.kafkaBrokers, prefix + 'events.dlq.v1', 2, 20000)).map((m) => JSON.parse(m.value) as DeadLetter);
    const malformed = letters.find((l) => l.reason === 'malformed_json');
    const schemaViolation = letters.find((l) => l.reason === 'schema_violation');
    expect(malformed && Buffer.from(malformed.originalBase64, 'base64').toString()).toBe('{"this is": not json');
    expect(schemaViolation).toMatchObject({ eventId: 'dlq-invalid', service: 'cleaning', originalTopic: 'events.clean.v1' });
    expect(schemaViolation?.message).toContain('payload.count');
    expect(Buffer.from(schemaViolation!.originalBase64, 'base64').toString()).toBe(invalid);
  });

  it('partitionsConcurrently: one partition is handled while another partition\'s handler waits; order within each kept', async () => {
    const topicBus = new KafkaBus({ service: 'cleaning', brokers: infra.kafkaBrokers, topicPrefix: prefix + 'conc_', partitionsOverride: 2 });
    const events = Array.from({ length: 120 }, (_, i) => makeEvent('live.like', { eventId: `conc-${i}`, liveSessionId: `ls-${i % 12}`, payload: { count: 1 } }));
    await topicBus.publish('events.clean.v1', events as never);
    const seen = new Map<number, string[]>();
    let blocked: number | null = null;
    let othersWhileBlocked = 0;
    const sub = await topicBus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'conc',
      partitionsConcurrently: 2,
      handler: async (batch) => {
        const p = batch[0].partition;
        if (blocked === null) {
          blocked = p;
          // hold this partition until the other one has made progress (10 s at most)
          const until = Date.now() + 10_000;
          while (Date.now() < until && ![...seen.keys()].some((q) => q !== p)) await new Promise((r) => setTimeout(r, 20));
          othersWhileBlocked = [...seen.entries()].filter(([q]) => q !== p).reduce((n, [, ids]) => n + ids.length, 0);
        }
        seen.set(p, [...(seen.get(p) ?? []), ...batch.map((m) => m.value.eventId)]);
      },
    });
    await waitFor('all 120 handled', async () => [...seen.values()].reduce((n, ids) => n + ids.length, 0) >= 120, 30000);
    await sub.stop();
    expect(seen.size).toBe(2);
    expect(othersWhileBlocked).toBeGreaterThan(0);
    // within a partition, the order published (eventId suffixes ascend)
    for (const ids of seen.values()) {
      const n = ids.map((id) => Number(id.slice('conc-'.length)));
      expect(n).toEqual([...n].sort((a, b) => a - b));
    }
    await topicBus.deleteOwnTopics();
    await topicBus.close();
  });

  it('a handler that throws mid-batch is retried: nothing lost, nothing applied twice', async () => {
    const store = new EffectStore(pool, schema + '_a');
    await store.init();
    const topicBus = new KafkaBus({ service: 'roi', brokers: infra.kafkaBrokers, topicPrefix: prefix + 'midbatch_', partitionsOverride: 1 });
    const events = Array.from({ length: 200 }, (_, i) => makeEvent('live.like', { eventId: `mid-${i}`, payload: { count: (i % 7) + 1 } }));
    await topicBus.publish('events.clean.v1', events as never);
    let thrown = 0;
    const sub = await topicBus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'midbatch',
      retryBaseMs: 10,
      handler: async (batch) => {
        for (const [i, m] of batch.entries()) {
          if (m.value.type !== 'live.like') continue;
          await store.applyOne(m.value.eventId, m.value.payload.count);
          if (i === Math.floor(batch.length / 2) && thrown < 2) {
            thrown++;
            throw new Error('simulated failure half-way through the batch');
          }
        }
      },
    });
    await waitFor('all 200 applied', async () => (await store.stats()).applied === 200, 30000);
    await sub.stop();
    const s = await store.stats();
    expect(thrown).toBe(2);
    expect(s.applications).toBe(200);
    expect(s.total).toBe(events.reduce((a, e) => a + (e.payload as { count: number }).count, 0));
    expect(s.deliveries).toBeGreaterThan(200); // the half-applied batches were delivered again
    await topicBus.deleteOwnTopics();
    await topicBus.close();
  });

  it('a consumer killed with SIGKILL mid-stream and restarted loses nothing and applies nothing twice', async () => {
    const store = new EffectStore(pool, schema + '_b');
    await store.init();
    const crashPrefix = prefix + 'crash_';
    const crashBus = new KafkaBus({ service: 'cleaning', brokers: infra.kafkaBrokers, topicPrefix: crashPrefix, partitionsOverride: 2 });
    const events = Array.from({ length: 1500 }, (_, i) => makeEvent('live.like', { eventId: `crash-${i}`, userId: `u-${i % 37}`, liveSessionId: `ls-${i % 5}`, payload: { count: (i % 5) + 1 } }));
    for (let i = 0; i < events.length; i += 500) await crashBus.publish('events.clean.v1', events.slice(i, i + 500) as never);
    const expectedTotal = events.reduce((a, e) => a + (e.payload as { count: number }).count, 0);

    const start = (): ChildProcess =>
      spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'crash-consumer.ts')], {
        env: { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers.join(','), DATABASE_URL: infra.databaseUrl, PREFIX: crashPrefix, SCHEMA: schema + '_b', GROUP: 'crash-group' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
    const first = start();
    await waitFor('the first consumer to apply some events', async () => (await store.stats()).applied >= 300, 60000, 50);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = (await store.stats()).applied;
    expect(atKill).toBeLessThan(events.length); // it really died mid-stream

    const second = start();
    try {
      await waitFor('all events applied after restart', async () => (await store.stats()).applied === events.length, 90000, 200);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
    const s = await store.stats();
    expect(s.applications).toBe(events.length);
    expect(s.total).toBe(expectedTotal);
    await crashBus.deleteOwnTopics();
    await crashBus.close();
  });
});
