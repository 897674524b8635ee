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
import { describeKafkaSecurity, KafkaSecurity } from './kafka-connection';

/** Lag of one partition for one consumer group: high watermark minus the group's committed offset. */
export interface ConsumerLag {
  /** Logical group and topic (without the run prefix). */
  group: string;
  topic: string;
  partition: number;
  /** Committed offset, or the log start when the group has committed nothing yet (it reads from the beginning). */
  committed: number;
  high: number;
  lag: number;
}

export interface LagSample {
  /** epoch ms when the sample was taken */
  at: number;
  lags: ConsumerLag[];
}

/** The brokers refused the credentials: retrying cannot help, so it is reported at once and names the fix. */
export class KafkaAuthError extends Error {
  readonly code = 'kafka_auth_failed';
  constructor(
    readonly detail: string,
    readonly security: string,
  ) {
    super(`Kafka refused the credentials (${security}): ${detail}. Check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or their _FILE variants).`);
    this.name = 'KafkaAuthError';
  }
}

function isAuthFailure(e: unknown): e is Error {
  return e instanceof Error && (e.name === 'KafkaJSSASLAuthenticationError' || /SASL .*authentication failed|Authentication failed/i.test(e.message));
}

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
  /** TLS and SASL for a secured cluster (see kafkaSecurityFromEnv). Plaintext when unset. */
  security?: KafkaSecurity;
  /** How often consumer lag is sampled while this bus has subscriptions; 0 turns sampling off. Default 15000. */
  lagIntervalMs?: number;
  /** Called with every lag sample (metrics). */
  onLag?: (sample: LagSample) => void;
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
  private readonly groups = new Map<string, { group: string; topic: TopicName }>();
  private lagTimer: NodeJS.Timeout | null = null;
  private lastLag: LagSample | null = null;

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
      ...(opts.security?.ssl ? { ssl: opts.security.ssl } : {}),
      ...(opts.security?.sasl ? { sasl: opts.security.sasl } : {}),
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

  /**
   * The bus's kafkajs client (same brokers, TLS and SASL), for infrastructure probes that must read a topic
   * outside a consumer group (cleaning's crash-recovery probe). Never build a second client from raw config:
   * it would miss the connection security.
   */
  get client(): Kafka {
    return this.kafka;
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
        if (isAuthFailure(e)) throw new KafkaAuthError(e.message, describeKafkaSecurity(this.opts.security ?? {}));
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
    this.groups.set(`${options.groupId}\u0000${options.topic}`, { group: options.groupId, topic: options.topic });
    this.startLagMonitor();
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

  /**
   * Lag of every group this bus consumes for, per partition: high watermark minus committed offset, read with the
   * admin client (group-wide, so every replica reports the same figures).
   */
  async consumerLag(): Promise<ConsumerLag[]> {
    await this.connect();
    const out: ConsumerLag[] = [];
    for (const { group, topic } of this.groups.values()) {
      const physical = this.physical(topic);
      const [ends, committed] = await Promise.all([
        this.admin.fetchTopicOffsets(physical),
        this.admin.fetchOffsets({ groupId: this.prefix + group, topics: [physical] }),
      ]);
      const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      for (const p of ends) {
        const high = Number(p.high);
        const c = byPartition.get(p.partition) ?? -1;
        const base = c >= 0 ? c : Number(p.low);
        out.push({ group, topic, partition: p.partition, committed: base, high, lag: Math.max(0, high - base) });
      }
    }
    return out.sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** The latest lag sample (null before the first one). */
  lagSample(): LagSample | null {
    return this.lastLag;
  }

  /** Takes a lag sample now, stores it and hands it to onLag. */
  async sampleLag(): Promise<LagSample> {
    const sample = { at: Date.now(), lags: await this.consumerLag() };
    this.lastLag = sample;
    this.opts.onLag?.(sample);
    return sample;
  }

  private startLagMonitor(): void {
    const every = this.opts.lagIntervalMs ?? 15000;
    if (this.lagTimer || every <= 0 || this.closed) return;
    const tick = () => {
      this.sampleLag()
        .catch((e: unknown) => this.log.warn('consumer lag not sampled', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          if (!this.closed) this.lagTimer = setTimeout(tick, every).unref();
        });
    };
    this.lagTimer = setTimeout(tick, Math.min(every, 1000)).unref();
  }

  /** Graceful shutdown: consumers finish their batch and commit, then the producer flushes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.lagTimer) clearTimeout(this.lagTimer);
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
