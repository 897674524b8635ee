import {
  DeadLetter,
  keyForTopic,
  ServiceName,
  TopicMessage,
  TopicName,
} from '@livepromo/contracts';
import { BatchProcessor, IncomingMessage, ProcessOutcome } from '../batch-processor';
import {
  BusHealth,
  MessageBus,
  PublishOptions,
  assertPublishable,
  SubscribeOptions,
  Subscription,
} from '../message-bus.port';

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

interface StoredMessage {
  key: string | null;
  value: Buffer;
}

interface Group {
  topic: TopicName;
  offset: number;
  running: boolean;
  draining: Promise<void> | null;
  process: (messages: IncomingMessage[]) => Promise<ProcessOutcome>;
  maxBatch: number;
}

/**
 * In-process MessageBus for the embedded mode: an append-only log per topic shared by every
 * service in the process, with consumer groups holding offsets, the same validation, retries
 * and dead-lettering as Kafka. Messages travel as bytes so that both modes see the same data.
 */
export class InProcessLog {
  readonly topics = new Map<TopicName, StoredMessage[]>();
  readonly groups = new Map<string, Group>();

  append(topic: TopicName, messages: StoredMessage[]): void {
    const log = this.topics.get(topic) ?? [];
    log.push(...messages);
    this.topics.set(topic, log);
    for (const g of this.groups.values()) if (g.topic === topic) this.kick(g);
  }

  kick(g: Group): void {
    if (g.draining || !g.running) return;
    g.draining = (async () => {
      // yield first, so `draining` is assigned before the finally below clears it
      await Promise.resolve();
      try {
        for (;;) {
          const log = this.topics.get(g.topic) ?? [];
          if (!g.running || g.offset >= log.length) break;
          const end = Math.min(log.length, g.offset + g.maxBatch);
          const chunk: IncomingMessage[] = [];
          for (let i = g.offset; i < end; i++) {
            chunk.push({ topic: g.topic, partition: 0, offset: String(i), key: log[i].key, value: log[i].value });
          }
          try {
            const outcome = await g.process(chunk);
            if (outcome.interrupted) break; // stopped while a dependency was down: the chunk stays unconsumed
            g.offset = end;
          } catch (e) {
            // dead-lettering itself failed: keep the offset and try again shortly
            process.stderr.write(
              `${JSON.stringify({ ts: new Date().toISOString(), level: 'error', msg: 'in-process consumer failed; retrying', topic: g.topic, offset: g.offset, error: e instanceof Error ? e.message : String(e) })}\n`,
            );
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      } finally {
        g.draining = null;
      }
      const log = this.topics.get(g.topic) ?? [];
      if (g.running && g.offset < log.length) this.kick(g);
    })();
  }
}

export class InProcessBus extends MessageBus {
  private readonly ownGroups = new Set<string>();
  constructor(
    readonly service: ServiceName,
    private readonly log: InProcessLog = new InProcessLog(),
  ) {
    super();
  }

  async publish<T extends TopicName>(topic: T, messages: readonly TopicMessage<T>[], options: PublishOptions = {}): Promise<void> {
    if (messages.length === 0) return;
    if (!options.prevalidated) assertPublishable(topic, messages);
    this.log.append(
      topic,
      messages.map((m) => ({
        key: options.key !== undefined ? options.key : topic === 'events.dlq.v1' ? ((m as DeadLetter).originalKey ?? null) : keyForTopic(topic, m),
        value: Buffer.from(JSON.stringify(m)),
      })),
    );
  }

  /** Appends raw bytes, bypassing validation: lets tests put a malformed message on a topic. */
  appendRaw(topic: TopicName, value: Buffer, key: string | null = null): void {
    this.log.append(topic, [{ key, value }]);
  }

  deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    return this.publish('events.dlq.v1', letters);
  }

  async subscribe<T extends TopicName>(options: SubscribeOptions<T>): Promise<Subscription> {
    const id = `${options.groupId}|${options.topic}`;
    const existing = this.log.groups.get(id);
    const processor = new BatchProcessor<TopicMessage<T>>({
      service: this.service,
      handler: options.handler,
      maxRetries: options.maxRetries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 100,
      deadLetter: (letters) => this.deadLetter(letters),
    });
    const startAt = options.fromBeginning === false ? (this.log.topics.get(options.topic)?.length ?? 0) : 0;
    const group: Group = {
      topic: options.topic,
      offset: existing?.offset ?? startAt,
      running: true,
      draining: null,
      process: (m) => processor.process(m, { isRunning: () => group.running }),
      maxBatch: options.maxBatchSize ?? 500,
    };
    this.log.groups.set(id, group);
    this.ownGroups.add(id);
    this.log.kick(group);
    return {
      topic: options.topic,
      groupId: options.groupId,
      stop: async () => {
        group.running = false;
        await group.draining;
      },
    };
  }

  /** Resolves when every group has consumed everything currently in the log (tests, demo). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.log.groups.values()].filter(
        (g) => g.running && (g.draining !== null || g.offset < (this.log.topics.get(g.topic)?.length ?? 0)),
      );
      if (busy.length === 0) return;
      await Promise.all(busy.map((g) => g.draining ?? sleep(5)));
    }
  }

  messages<T extends TopicName>(topic: T): TopicMessage<T>[] {
    return (this.log.topics.get(topic) ?? []).map((m) => JSON.parse(m.value.toString()) as TopicMessage<T>);
  }

  health(): Promise<BusHealth> {
    return Promise.resolve({ ok: true, detail: 'in-process bus' });
  }

  /** Stops this bus's consumer groups after their batch in flight (other services' groups keep going). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.ownGroups].map(async (id) => {
        const g = this.log.groups.get(id);
        if (!g) return;
        g.running = false;
        await g.draining;
      }),
    );
  }
}
