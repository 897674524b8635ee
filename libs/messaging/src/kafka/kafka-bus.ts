import { Admin, CompressionTypes, Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import {
  DeadLetter,
  keyForTopic,
  ServiceName,
  TOPIC_NAMES,
  TOPICS,
  TopicMessage,
  TopicName,
} from '@livepromo/contracts';
import { BatchProcessor } from '../batch-processor';
import {
  BusHealth,
  MessageBus,
  PublishOptions,
  assertPublishable,
  SubscribeOptions,
  Subscription,
} from '../message-bus.port';

export interface KafkaBusOptions {
  service: ServiceName;
  brokers: string[];
  /** Physical topic = prefix + logical name; isolates test runs and tenants of a shared cluster. */
  topicPrefix?: string;
  clientId?: string;
  /** Create missing topics from the registry on connect. Default true. */
  provisionTopics?: boolean;
  /** Replication factor for provisioned topics. Default 1 (single-node dev broker). */
  replicationFactor?: number;
  /** Partition count override (tests use 1-3 for speed). */
  partitionsOverride?: number;
  logger?: { info(msg: string, meta?: object): void; warn(msg: string, meta?: object): void; error(msg: string, meta?: object): void };
  connectionTimeoutMs?: number;
  /**
   * Consumer session timeout. After a broker restart the consumers rejoin as new members and the group waits this
   * long for the old ones to expire, so it bounds recovery; a handler must heartbeat within it (the bus does after
   * every chunk and while waiting for a dependency). Default 15 s (Kafka's minimum is 6 s).
   */
  sessionTimeoutMs?: number;
}

const noopLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * MessageBus over kafkajs. Producer: idempotent, acks=all, gzip-free (CPU is the budget),
 * one sendBatch per publish call. Consumer: eachBatch, auto-commit off, offsets committed
 * only after the handler (and any dead-lettering) resolved.
 */
export class KafkaBus extends MessageBus {
  readonly service: ServiceName;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<Consumer>();
  private readonly prefix: string;
  private connected: Promise<void> | null = null;
  private closed = false;
  private readonly log: NonNullable<KafkaBusOptions['logger']>;

  constructor(private readonly opts: KafkaBusOptions) {
    super();
    this.service = opts.service;
    this.prefix = opts.topicPrefix ?? '';
    this.log = opts.logger ?? noopLogger;
    this.kafka = new Kafka({
      clientId: opts.clientId ?? `livepromo-${opts.service}`,
      brokers: opts.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: opts.connectionTimeoutMs ?? 3000,
      requestTimeout: 30000,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.admin = this.kafka.admin();
  }

  physical(topic: TopicName): string {
    return this.prefix + topic;
  }

  logical(physical: string): TopicName {
    return physical.slice(this.prefix.length) as TopicName;
  }

  /** Connects the producer and provisions topics; idempotent. */
  connect(): Promise<void> {
    if (!this.connected) {
      this.connected = (async () => {
        await this.admin.connect();
        if (this.opts.provisionTopics !== false) await this.provision();
        await this.producer.connect();
      })().catch((e: unknown) => {
        this.connected = null;
        throw e;
      });
    }
    return this.connected;
  }

  /** Creates every registry topic that is missing, with its partitions and retention. */
  async provision(): Promise<string[]> {
    const existing = new Set(await this.admin.listTopics());
    const missing = TOPIC_NAMES.filter((t) => !existing.has(this.physical(t)));
    if (missing.length === 0) return [];
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: this.physical(t),
        numPartitions: this.opts.partitionsOverride ?? TOPICS[t].partitions,
        replicationFactor: this.opts.replicationFactor ?? 1,
        configEntries:
          t === 'tenants.keys.v1'
            ? [{ name: 'cleanup.policy', value: 'compact' }]
            : [{ name: 'retention.ms', value: String(TOPICS[t].retentionMs) }],
      })),
    });
    this.log.info('provisioned topics', { topics: missing.map((t) => this.physical(t)) });
    return missing.map((t) => this.physical(t));
  }

  async publish<T extends TopicName>(topic: T, messages: readonly TopicMessage<T>[], options: PublishOptions = {}): Promise<void> {
    if (messages.length === 0) return;
    if (!options.prevalidated) assertPublishable(topic, messages);
    await this.connect();
    await this.producer.send({
      topic: this.physical(topic),
      acks: -1,
      compression: CompressionTypes.None,
      messages: messages.map((m) => ({
        key: options.key !== undefined ? options.key : topic === 'events.dlq.v1' ? ((m as DeadLetter).originalKey ?? null) : keyForTopic(topic, m),
        value: JSON.stringify(m),
      })),
    });
  }

  async deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    await this.publish('events.dlq.v1', letters);
    for (const l of letters) {
      this.log.warn('dead-lettered message', { reason: l.reason, topic: l.originalTopic, eventId: l.eventId, tenantId: l.tenantId, attempts: l.attempts });
    }
  }

  async subscribe<T extends TopicName>(options: SubscribeOptions<T>): Promise<Subscription> {
    await this.connect();
    const consumer = this.kafka.consumer({
      groupId: this.prefix + options.groupId,
      sessionTimeout: this.opts.sessionTimeoutMs ?? 15000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 1 << 20,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10000 },
    });
    this.consumers.add(consumer);
    const processor = new BatchProcessor<TopicMessage<T>>({
      service: this.service,
      handler: options.handler,
      maxRetries: options.maxRetries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 100,
      deadLetter: (letters) => this.deadLetter(letters),
      onRetry: (attempt, error) =>
        this.log.warn('handler failed, retrying', { topic: options.topic, attempt, error: error instanceof Error ? error.message : String(error) }),
      onUnavailable: (waitedMs, error) =>
        this.log.warn('a dependency is unavailable: waiting, not dead-lettering', { topic: options.topic, waitedMs, error: error instanceof Error ? error.message : String(error) }),
    });
    const maxBatch = options.maxBatchSize ?? 500;
    await consumer.connect();
    await consumer.subscribe({ topic: this.physical(options.topic), fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, options.partitionsConcurrently ?? 1),
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (let i = 0; i < batch.messages.length; i += maxBatch) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(i, i + maxBatch);
          const outcome = await processor.process(
            chunk.map((m) => ({ topic: options.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value })),
            { heartbeat, isRunning: () => isRunning() && !isStale() },
          );
          if (outcome.interrupted) return; // stopping or rebalanced while a dependency was down: redelivered later
          const last = chunk[chunk.length - 1].offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
          await heartbeat();
        }
      },
    });
    let stopped = false;
    return {
      topic: options.topic,
      groupId: options.groupId,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  async health(): Promise<BusHealth> {
    try {
      await this.connect();
      const cluster = await this.admin.describeCluster();
      return { ok: true, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller ?? 'n/a'}` };
    } catch (e) {
      return { ok: false, detail: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Graceful shutdown: consumers finish their batch and commit, then the producer flushes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  /** Test/ops helper: deletes this bus's prefixed topics. Refuses without a prefix. */
  async deleteOwnTopics(): Promise<void> {
    if (!this.prefix) throw new Error('refusing to delete unprefixed topics');
    await this.connect();
    const existing = await this.admin.listTopics();
    const mine = existing.filter((t) => t.startsWith(this.prefix));
    if (mine.length) await this.admin.deleteTopics({ topics: mine });
  }
}
