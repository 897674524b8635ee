import { DeadLetter, ServiceName, TopicMessage, TopicName } from '@livepromo/contracts';
import { BusHealth, KafkaBus, MessageBus, PublishOptions, SubscribeOptions, Subscription } from '@livepromo/messaging';

/**
 * A MessageBus over real Kafka whose publishes to ingest.raw.v1 can be switched to a second KafkaBus
 * that points at a closed port — Kafka "goes away" for the intake path while the app keeps running.
 */
export class SwitchableBus extends MessageBus {
  readonly service: ServiceName = 'ingestion';
  kafkaDown = false;
  readonly dead: KafkaBus;

  constructor(readonly real: KafkaBus) {
    super();
    this.dead = new KafkaBus({ service: 'ingestion', brokers: ['127.0.0.1:1'], provisionTopics: false, connectionTimeoutMs: 300 });
  }

  publish<T extends TopicName>(topic: T, messages: readonly TopicMessage<T>[], options?: PublishOptions): Promise<void> {
    return (this.kafkaDown && topic === 'ingest.raw.v1' ? this.dead : this.real).publish(topic, messages, options);
  }

  subscribe<T extends TopicName>(options: SubscribeOptions<T>): Promise<Subscription> {
    return this.real.subscribe(options);
  }

  deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    return this.real.deadLetter(letters);
  }

  health(): Promise<BusHealth> {
    return this.real.health();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.real.close(), this.dead.close()]);
  }
}
