import { KafkaBus } from '@livepromo/messaging';
import type { SimEvent } from './day';

export interface Sink {
  send(events: SimEvent[]): Promise<{ rejected: number }>;
  close(): Promise<void>;
}

/** Posts batches to ingestion, honouring 429/503 Retry-After, so nothing is dropped on back-pressure. */
export class HttpSink implements Sink {
  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  async send(events: SimEvent[]): Promise<{ rejected: number }> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.url}/v1/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
        body: JSON.stringify(events),
      });
      if (res.status === 429 || res.status === 503) {
        if (attempt >= 20) throw new Error(`ingestion kept answering ${res.status}`);
        const wait = Number(res.headers.get('retry-after') ?? '1') * 1000;
        await new Promise((r) => setTimeout(r, Math.max(100, wait)));
        continue;
      }
      const body = (await res.json().catch(() => ({}))) as { rejected?: number; results?: { status: string }[]; error?: { message: string } };
      if (res.status >= 400) throw new Error(`ingestion answered ${res.status}: ${body.error?.message ?? ''}`);
      const rejected = body.rejected ?? body.results?.filter((r) => r.status === 'rejected').length ?? 0;
      return { rejected };
    }
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
    });
    await bus.connect();
    return new KafkaSink(bus);
  }

  async send(events: SimEvent[]): Promise<{ rejected: number }> {
    const now = new Date().toISOString();
    await this.bus.publish('ingest.raw.v1', events.map((e) => ({ ...e, source: e.source as 'generic', receivedAt: now, schemaVersion: 1 })));
    return { rejected: 0 };
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
