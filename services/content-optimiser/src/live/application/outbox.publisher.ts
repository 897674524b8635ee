import { Inject, Injectable } from '@nestjs/common';
import { EventOf } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { LiveStateRepository, OutboxTopic } from '../infrastructure/live-state.repository';
import { LiveStreamHub } from './live-stream.hub';

const DRAIN_LIMIT = 1000;
const MAX_REQUEST_BYTES = 512 * 1024;

/** Splits messages into publish calls of at most MAX_REQUEST_BYTES of JSON each. */
export function bySize<T>(messages: T[], maxBytes = MAX_REQUEST_BYTES): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const m of messages) {
    const b = Buffer.byteLength(JSON.stringify(m));
    if (cur.length > 0 && bytes + b > maxBytes) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(m);
    bytes += b;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Publishes the transactional outbox to Kafka, then fans the messages out to SSE listeners. */
@Injectable()
export class OutboxPublisher {
  constructor(
    @Inject(LiveStateRepository) private readonly repo: LiveStateRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(LiveStreamHub) private readonly hub: LiveStreamHub,
  ) {}

  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent: { topic: OutboxTopic; message: unknown }[] = [];
      const n = await this.repo.drainOutbox(async (rows) => {
        const metrics = rows.filter((r) => r.topic === 'live.metrics.v1').map((r) => r.message as EventOf<'live.metrics.computed'>);
        const suggestions = rows.filter((r) => r.topic === 'live.suggestions.v1').map((r) => r.message as EventOf<'live.suggestion.made'>);
        // suggestions first: they are what a console waits for; requests stay under Kafka's 1 MB default
        for (const part of bySize(suggestions)) await this.bus.publish('live.suggestions.v1', part);
        for (const part of bySize(metrics)) await this.bus.publish('live.metrics.v1', part);
        sent.push(...rows);
      }, DRAIN_LIMIT);
      for (const r of sent) {
        const e = r.message as { tenantId: string; liveSessionId?: string };
        if (e.liveSessionId) this.hub.emit(e.tenantId, e.liveSessionId, { kind: r.topic === 'live.metrics.v1' ? 'metrics' : 'suggestion', data: r.message });
      }
      total += n;
      if (n < DRAIN_LIMIT) return total;
    }
  }
}
