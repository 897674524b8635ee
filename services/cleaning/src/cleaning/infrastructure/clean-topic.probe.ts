import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { KafkaBus, MessageBus } from '@livepromo/messaging';
import { BaseConfig, CONFIG } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';

/**
 * After a crash, tells which of some eventIds are already on events.clean.v1, by reading the topic
 * from the offsets at a given time (the claim time of the redelivered batch, minus a margin) to its end.
 * Used only for redelivered messages whose effects were not confirmed, so that a crash between
 * Kafka's ack and the confirmation does not publish them twice. Kafka only (the in-process bus of the
 * embedded mode does not survive a crash, so there is nothing to recover).
 */
@Injectable()
export class CleanTopicProbe {
  /** The bus's own client (brokers, TLS, SASL), on Kafka only. */
  private readonly kafka: Kafka | null;

  constructor(
    @Inject(MessageBus) bus: MessageBus,
    @Inject(CONFIG) private readonly config: BaseConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {
    this.kafka = bus instanceof KafkaBus ? bus.client : null;
  }

  async alreadyPublished(eventIds: ReadonlySet<string>, sinceMs: number, timeoutMs = 30_000): Promise<Set<string>> {
    const found = new Set<string>();
    const kafka = this.kafka;
    if (!kafka || eventIds.size === 0) return found;
    const topic = `${this.config.LIVEPROMO_TOPIC_PREFIX}events.clean.v1`;
    const admin = kafka.admin();
    await admin.connect();
    let from: { partition: number; offset: string }[];
    let ends: { partition: number; high: string }[];
    try {
      from = await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs);
      ends = (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, high: o.high }));
    } finally {
      await admin.disconnect();
    }
    const wanted = new Map<number, { start: bigint; end: bigint }>();
    for (const e of ends) {
      const f = from.find((x) => x.partition === e.partition);
      const start = f && BigInt(f.offset) >= 0n ? BigInt(f.offset) : BigInt(e.high);
      if (start < BigInt(e.high)) wanted.set(e.partition, { start, end: BigInt(e.high) });
    }
    if (wanted.size === 0) return found;
    const consumer = kafka.consumer({ groupId: `${this.config.LIVEPROMO_TOPIC_PREFIX}cleaning.recovery-probe.${process.pid}.${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const remaining = new Set(wanted.keys());
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = wanted.get(batch.partition);
          if (!range) return;
          for (const m of batch.messages) {
            if (BigInt(m.offset) < range.start) continue;
            const id = (JSON.parse(m.value?.toString() ?? '{}') as { eventId?: string }).eventId;
            if (id && eventIds.has(id)) found.add(id);
            if (BigInt(m.offset) >= range.end - 1n) remaining.delete(batch.partition);
          }
          if (remaining.size === 0) done();
        },
      });
      for (const [partition, r] of wanted) consumer.seek({ topic, partition, offset: r.start.toString() });
      const timer = setTimeout(done, timeoutMs);
      await finished;
      clearTimeout(timer);
      if (remaining.size > 0) throw new Error(`recovery probe did not reach the end of ${topic} within ${timeoutMs} ms`);
    } finally {
      await consumer.disconnect();
    }
    this.log.info('recovery probe: redelivered clean events already on the topic', { checked: eventIds.size, found: found.size });
    return found;
  }
}
