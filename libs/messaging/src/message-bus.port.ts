import { DeadLetter, ServiceName, TopicMessage, TopicName, topicSchema } from '@livepromo/contracts';

export interface ConsumedMessage<T> {
  value: T;
  key: string | null;
  topic: TopicName;
  partition: number;
  offset: string;
  /** The original bytes, kept for dead-lettering. */
  raw: Buffer;
}

/**
 * A batch handler must make its effect durable before it resolves; the bus commits the
 * offsets only afterwards. Effects must be idempotent by eventId: after a crash the
 * same messages are delivered again.
 */
export type BatchHandler<T> = (messages: ConsumedMessage<T>[]) => Promise<void>;

export interface SubscribeOptions<T extends TopicName> {
  topic: T;
  /** Consumer group; scale out by running more members of the same group. */
  groupId: string;
  handler: BatchHandler<TopicMessage<T>>;
  /** Attempts after the first, with exponential backoff, before dead-lettering. Default 3. */
  maxRetries?: number;
  /** First backoff in ms (doubles each retry, with jitter). Default 100. */
  retryBaseMs?: number;
  /** Read from the start of the topic when the group has no committed offset. Default true. */
  fromBeginning?: boolean;
  /** Largest batch handed to the handler at once. Default 500. */
  maxBatchSize?: number;
  /**
   * How many of this member's partitions are handled at the same time (Kafka; order within a partition is kept).
   * Overlaps one partition's waits (Redis, Postgres, acks) with another's CPU work. The handler must then be safe to
   * run concurrently for different partitions. Default 1.
   */
  partitionsConcurrently?: number;
}

export interface Subscription {
  readonly topic: TopicName;
  readonly groupId: string;
  /** Stops fetching, waits for the batch in flight, commits, disconnects. */
  stop(): Promise<void>;
}

export interface PublishOptions {
  /** Override the key computed from the topic's key rule. */
  key?: string | null;
  /**
   * The caller has just validated these messages against the same contract (e.g. ingestion's
   * per-item validation): skip the second pass on the hot path.
   */
  prevalidated?: boolean;
}

export interface BusHealth {
  ok: boolean;
  detail: string;
}

/** The port every service talks to; Kafka in the distributed mode, in-process in the embedded one. */
export abstract class MessageBus {
  abstract readonly service: ServiceName;
  /** Resolves once every message is durably written (acks=all on Kafka). Rejects on validation failure. */
  abstract publish<T extends TopicName>(topic: T, messages: readonly TopicMessage<T>[], options?: PublishOptions): Promise<void>;
  abstract subscribe<T extends TopicName>(options: SubscribeOptions<T>): Promise<Subscription>;
  abstract deadLetter(letters: readonly DeadLetter[]): Promise<void>;
  abstract health(): Promise<BusHealth>;
  abstract close(): Promise<void>;
}

/** Thrown by handlers for failures a retry cannot fix: the message goes to the DLQ at once. */
export class PermanentHandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PermanentHandlerError';
  }
}

export class PublishValidationError extends Error {
  constructor(
    readonly topic: string,
    readonly issues: { index: number; path: string; message: string }[],
  ) {
    super(`refusing to publish ${issues.length} invalid message(s) to ${topic}: ${issues
      .slice(0, 3)
      .map((i) => `#${i.index} ${i.path}: ${i.message}`)
      .join('; ')}`);
    this.name = 'PublishValidationError';
  }
}

/** Checks messages against their topic's contract before they are written; throws listing the issues. */
export function assertPublishable(topic: TopicName, messages: readonly unknown[]): void {
  const schema = topicSchema(topic);
  const issues: { index: number; path: string; message: string }[] = [];
  messages.forEach((m, index) => {
    const r = schema.safeParse(m);
    if (!r.success) for (const i of r.error.issues) issues.push({ index, path: i.path.join('.'), message: i.message });
  });
  if (issues.length > 0) throw new PublishValidationError(topic, issues);
}
