import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { JsonLogger } from '@livepromo/observability';
import { ProcessLiveEventsUseCase } from '../application/process-live-events.usecase';

/**
 * Subscribes to cleaned live events and comment classifications (one use case for both, so
 * windows see them together). Each handler resolves only once its effect is committed; the bus
 * commits offsets afterwards. Erasures: EraseLiveUserUseCase through service-kit's ErasureSubscriber.
 */
@Injectable()
export class LiveEventsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ProcessLiveEventsUseCase) private readonly process: ProcessLiveEventsUseCase,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A crash between commit and publish leaves rows in the outbox: publish them first.
    const flushed = await this.process.flushOutbox();
    if (flushed > 0) this.log.info('published outbox left by a previous run', { messages: flushed });
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'content-optimiser.live-windows',
      handler: (batch) => this.process.execute(batch.map((m) => m.value)),
    });
    await this.bus.subscribe({
      topic: 'comments.classified.v1',
      groupId: 'content-optimiser.comment-intents',
      handler: (batch) => this.process.execute(batch.map((m) => m.value as CanonicalEvent)),
    });
  }
}
