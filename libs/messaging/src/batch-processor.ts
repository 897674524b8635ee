import { randomUUID } from 'node:crypto';
import { DeadLetter, RejectionCode, ServiceName, TopicName, topicSchema } from '@livepromo/contracts';
import type { BatchHandler, ConsumedMessage } from './message-bus.port';
import { PermanentHandlerError } from './message-bus.port';
import { isTransientError } from './transient-error';

export interface IncomingMessage {
  topic: TopicName;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | null;
}

export interface ProcessorOptions<T> {
  service: ServiceName;
  handler: BatchHandler<T>;
  maxRetries: number;
  retryBaseMs: number;
  deadLetter: (letters: DeadLetter[]) => Promise<void>;
  onRetry?: (attempt: number, error: unknown) => void;
  /** Told each time a batch waits for an unavailable dependency (transient error), with how long it has waited. */
  onUnavailable?: (waitedMs: number, error: unknown) => void;
  /** Longest pause between tries while a dependency is unavailable (default 5 s). */
  maxUnavailableBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What the transport offers while one batch is being handled (Kafka: heartbeat, and whether the member still runs). */
export interface ProcessContext {
  heartbeat?: () => Promise<void>;
  isRunning?: () => boolean;
}

export interface ProcessOutcome {
  handled: number;
  deadLettered: number;
  retries: number;
  /** The consumer stopped (or lost the partition) while waiting for a dependency: nothing was handled, commit nothing. */
  interrupted?: boolean;
}

class Interrupted extends Error {}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Transport-independent consume step: decode → validate → handle with retries →
 * isolate poison messages → dead-letter. Resolves only when every message is either
 * handled or durably dead-lettered, so the caller may commit the offsets after it.
 */
export class BatchProcessor<T> {
  private readonly sleep: (ms: number) => Promise<void>;
  constructor(private readonly opts: ProcessorOptions<T>) {
    this.sleep = opts.sleep ?? defaultSleep;
  }

  async process(messages: IncomingMessage[], ctx: ProcessContext = {}): Promise<ProcessOutcome> {
    try {
      return await this.processOrInterrupt(messages, ctx);
    } catch (e) {
      if (e instanceof Interrupted) return { handled: 0, deadLettered: 0, retries: 0, interrupted: true };
      throw e;
    }
  }

  private async processOrInterrupt(messages: IncomingMessage[], ctx: ProcessContext): Promise<ProcessOutcome> {
    const letters: DeadLetter[] = [];
    const valid: ConsumedMessage<T>[] = [];
    for (const m of messages) {
      const raw = m.value ?? Buffer.alloc(0);
      const key = m.key === null ? null : m.key.toString();
      let decoded: unknown;
      try {
        decoded = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        letters.push(this.letter(m, raw, key, RejectionCode.MalformedJson, `not valid JSON: ${errorMessage(e)}`, 0));
        continue;
      }
      const parsed = topicSchema(m.topic).safeParse(decoded);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
        letters.push(
          this.letter(m, raw, key, RejectionCode.SchemaViolation, issues.map((i) => `${i.path}: ${i.message}`).join('; '), 0, issues, decoded),
        );
        continue;
      }
      valid.push({ value: parsed.data as T, key, topic: m.topic, partition: m.partition, offset: m.offset, raw });
    }

    let retries = 0;
    let failed = 0;
    if (valid.length > 0) {
      const first = await this.attempt(valid, ctx);
      retries += first.retries;
      if (!first.ok) {
        if (valid.length === 1) {
          letters.push(this.failedLetter(valid[0], first.error, first.attempts));
          failed++;
        } else {
          // Isolate: handle one by one so one poison message does not sink its neighbours.
          for (const msg of valid) {
            const single = await this.attempt([msg], ctx);
            retries += single.retries;
            if (!single.ok) {
              letters.push(this.failedLetter(msg, single.error, single.attempts));
              failed++;
            }
          }
        }
      }
    }
    if (letters.length > 0) await this.opts.deadLetter(letters);
    return { handled: valid.length - failed, deadLettered: letters.length, retries };
  }

  /**
   * Handles a batch: up to maxRetries retries with backoff for handler errors; while the error says a dependency is
   * unavailable (isTransientError), waits it out instead — same batch, backoff capped at maxUnavailableBackoffMs,
   * heartbeats in between — because dead-lettering good messages for an outage would take them out of the data.
   */
  private async attempt(
    batch: ConsumedMessage<T>[],
    ctx: ProcessContext,
  ): Promise<{ ok: true; retries: number } | { ok: false; retries: number; attempts: number; error: unknown; permanent: boolean }> {
    let lastError: unknown;
    let failures = 0;
    let unavailableSince = 0;
    let waits = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.handler(batch);
        return { ok: true, retries: attempt };
      } catch (e) {
        lastError = e;
        if (e instanceof PermanentHandlerError) return { ok: false, retries: attempt, attempts: attempt + 1, error: e, permanent: true };
        if (isTransientError(e)) {
          unavailableSince ||= Date.now();
          this.opts.onUnavailable?.(Date.now() - unavailableSince, e);
          const cap = this.opts.maxUnavailableBackoffMs ?? 5000;
          await this.pause(Math.min(cap, this.opts.retryBaseMs * 2 ** Math.min(waits++, 16)), ctx);
          continue;
        }
        unavailableSince = 0;
        if (failures >= this.opts.maxRetries) break;
        failures++;
        this.opts.onRetry?.(failures, e);
        const backoff = this.opts.retryBaseMs * 2 ** (failures - 1);
        await this.sleep(backoff / 2 + (Math.random() * backoff) / 2);
      }
    }
    return { ok: false, retries: failures, attempts: failures + 1, error: lastError, permanent: false };
  }

  /** Sleeps while keeping the consumer's membership alive; gives up the batch if the consumer stops. */
  private async pause(ms: number, ctx: ProcessContext): Promise<void> {
    const until = Date.now() + ms;
    do {
      if (ctx.isRunning && !ctx.isRunning()) throw new Interrupted('consumer stopping');
      if (ctx.heartbeat) {
        try {
          await ctx.heartbeat();
        } catch {
          throw new Interrupted('lost the partition while waiting'); // rebalance: the batch will be redelivered
        }
      }
      await this.sleep(Math.max(0, Math.min(1000, until - Date.now())));
    } while (Date.now() < until);
  }

  private failedLetter(msg: ConsumedMessage<T>, error: unknown, attempts: number): DeadLetter {
    const code = error instanceof PermanentHandlerError ? error.code : RejectionCode.HandlerFailed;
    const details = error instanceof PermanentHandlerError ? error.details : undefined;
    return this.letter(msg, msg.raw, msg.key, code, errorMessage(error), attempts, details, msg.value);
  }

  private letter(
    m: { topic: TopicName; partition: number; offset: string },
    raw: Buffer,
    key: string | null,
    reason: string,
    message: string,
    attempts: number,
    details?: unknown,
    decoded?: unknown,
  ): DeadLetter {
    const d = (decoded && typeof decoded === 'object' ? decoded : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 256) : undefined);
    return {
      deadLetterId: randomUUID(),
      reason,
      message: message.slice(0, 4000),
      service: this.opts.service,
      attempts,
      failedAt: new Date().toISOString(),
      originalTopic: m.topic,
      originalPartition: m.partition,
      originalOffset: m.offset,
      originalKey: key,
      originalBase64: raw.toString('base64'),
      tenantId: str(d.tenantId),
      eventId: str(d.eventId),
      eventType: str(d.type),
      details,
    };
  }
}
