import { Inject, Injectable } from '@nestjs/common';
import { RawEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';

interface Waiter {
  events: readonly RawEvent[];
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Most bytes (estimated from request sizes) merged into one Kafka send, under the broker's 1 MB batch limit. */
const MAX_MERGED_BYTES = 768 * 1024;

/**
 * Publishes accepted events to `ingest.raw.v1`, merging concurrent requests into one producer send.
 * The Kafka producer is idempotent with one request in flight, so concurrent sends would queue anyway;
 * while one send is in flight, the next requests wait together and go out as one send (fewer round trips
 * and acks=all waits). Each caller's promise resolves only when the send holding its events was
 * acknowledged, and rejects if that send failed — a request is never told "written" for events that were not.
 */
@Injectable()
export class RawEventPublisher {
  private queue: Waiter[] = [];
  private inFlight = false;

  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  publish(events: readonly RawEvent[], approxBytes: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ events, bytes: approxBytes, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const take: Waiter[] = [this.queue.shift()!];
    let bytes = take[0].bytes;
    while (this.queue.length && bytes + this.queue[0].bytes <= MAX_MERGED_BYTES) {
      const w = this.queue.shift()!;
      bytes += w.bytes;
      take.push(w);
    }
    const events = take.length === 1 ? take[0].events : take.flatMap((w) => w.events);
    this.inFlight = true;
    // each event is the output of validateRawEvent (normalise-envelope.ts): no second validation pass
    this.bus.publish('ingest.raw.v1', events, { prevalidated: true }).then(
      () => {
        this.inFlight = false;
        for (const w of take) w.resolve();
        this.pump();
      },
      (e: unknown) => {
        this.inFlight = false;
        for (const w of take) w.reject(e);
        this.pump();
      },
    );
  }
}
