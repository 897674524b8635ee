import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { IngestEventsUseCase } from '../application/ingest-events.usecase';

/** events.clean.v1 → streamer features, user interests, implicit feedback (idempotent by eventId). */
@Injectable()
export class CleanEventsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'streamer-recommender.features',
      handler: async (batch) => {
        await this.ingest.apply(batch.map((m) => m.value));
      },
    });
  }
}
