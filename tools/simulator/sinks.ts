import { eventBatchClient } from '@livepromo/io';
import { KafkaBus, kafkaSecurityFromEnv } from '@livepromo/messaging';
import type { SimEvent } from './day';

export interface Sink {
  send(events: SimEvent[]): Promise<{ rejected: number }>;
  close(): Promise<void>;
}

/** Posts batches to ingestion through the shared client (libs/io: 429/503 Retry-After and network errors waited out), so nothing is dropped on back-pressure. */
export class HttpSink implements Sink {
  private readonly post: ReturnType<typeof eventBatchClient>;

  constructor(url: string, key: string, query?: Record<string, string>) {
    this.post = eventBatchClient({ url, key, query, maxAttempts: 20 });
  }

  async send(events: SimEvent[]): Promise<{ rejected: number }> {
    const results = await this.post(events);
    return { rejected: results.filter((r) => r.status === 'rejected').length };
  }

  async close(): Promise<void> {}
}

/** Publishes straight onto ingest.raw.v1 (the path for systems that talk Kafka). */
export class KafkaSink implements Sink {
  private constructor(private readonly bus: KafkaBus) {}

  static async create(): Promise<KafkaSink> {
    const bus = new KafkaBus({
      service: 'ingestion',
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      topicPrefix: process.env.LIVEPROMO_TOPIC_PREFIX ?? '',
      security: kafkaSecurityFromEnv(process.env),
    });
    await bus.connect();
    return new KafkaSink(bus);
  }

  async send(events: SimEvent[]): Promise<{ rejected: number }> {
    const now = new Date().toISOString();
    await this.bus.publish(
      'ingest.raw.v1',
      events.map((e) => ({ ...e, source: e.source as 'generic', receivedAt: now, schemaVersion: 1 })),
    );
    return { rejected: 0 };
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
