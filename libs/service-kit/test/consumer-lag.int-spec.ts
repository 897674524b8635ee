/**
 * Consumer lag as services expose it: KafkaBus samples high watermark minus committed offset per group and partition
 * on an interval, and the platform turns each sample into `livepromo_consumer_lag{group,topic,partition}`.
 * Stop the consumer while producing: the gauge rises by what was produced; restart it: back to 0.
 */
import { Metrics } from '@livepromo/observability';
import { consumerLagGauge } from '../src/connections';
import { describeWithInfra, makeEvent, uniquePrefix, waitFor } from '@livepromo/testing';
import { KafkaBus, LagSample, Subscription } from '@livepromo/messaging';

describeWithInfra('consumer lag gauge over a real broker', (infra) => {
  const prefix = uniquePrefix('lag');
  const metrics = new Metrics('cleaning', false);
  const toGauge = consumerLagGauge(metrics);
  let last: LagSample | null = null;
  let bus: KafkaBus;
  let producer: KafkaBus;
  let sub: Subscription | null = null;
  const seen = new Set<string>();
  const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => makeEvent('live.like', { tenantId: `lag-t${(from + i) % 7}`, eventId: `lag-${from + i}` }));

  /** Sum of the gauge's series for our group, read from the Prometheus text a scrape returns. */
  async function scrapedLag(): Promise<{ total: number; series: number }> {
    const text = await metrics.registry.metrics();
    const lines = text.split('\n').filter((l) => l.startsWith('livepromo_consumer_lag{') && l.includes('group="lag-test"'));
    return { total: lines.reduce((s, l) => s + Number(l.split(' ').pop()), 0), series: lines.length };
  }

  const subscribe = () =>
    bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'lag-test',
      handler: async (batch) => {
        for (const m of batch) seen.add(m.value.eventId);
      },
    });

  beforeAll(async () => {
    producer = new KafkaBus({ service: 'cleaning', brokers: infra.kafkaBrokers, topicPrefix: prefix, partitionsOverride: 3, lagIntervalMs: 0 });
    await producer.connect();
    bus = new KafkaBus({
      service: 'cleaning',
      brokers: infra.kafkaBrokers,
      topicPrefix: prefix,
      partitionsOverride: 3,
      provisionTopics: false,
      lagIntervalMs: 500,
      onLag: (s) => {
        last = s;
        toGauge(s);
      },
    });
  });

  afterAll(async () => {
    await sub?.stop();
    await bus?.close();
    await producer?.deleteOwnTopics().catch(() => undefined);
    await producer?.close();
  });

  it('rises while the consumer is stopped and falls back to 0 after it restarts', async () => {
    await producer.publish('events.clean.v1', events(0, 60) as never);
    sub = await subscribe();
    await waitFor('first 60 consumed', () => seen.size === 60, 60_000, 100);
    await waitFor('lag 0 over 3 partitions while consuming', async () => {
      const g = await scrapedLag();
      return g.series === 3 && g.total === 0 && last !== null;
    }, 30_000, 200);

    await sub.stop();
    sub = null;
    await producer.publish('events.clean.v1', events(60, 240) as never);
    const risen = await waitFor('gauge shows the 240 unconsumed messages', async () => {
      const g = await scrapedLag();
      return g.total === 240 ? g : null;
    }, 30_000, 200);
    expect(risen.series).toBe(3);
    // the bus's own figure agrees, and per partition it is high watermark minus committed
    const direct = await bus.consumerLag();
    expect(direct.reduce((s, l) => s + l.lag, 0)).toBe(240);
    for (const l of direct) expect(l.lag).toBe(l.high - l.committed);
    expect(direct.filter((l) => l.lag > 0).length).toBeGreaterThan(1); // keys spread over partitions

    sub = await subscribe();
    await waitFor('all 300 consumed after the restart', () => seen.size === 300, 60_000, 100);
    await waitFor('gauge back to 0', async () => (await scrapedLag()).total === 0, 30_000, 200);
  }, 150_000);
});
