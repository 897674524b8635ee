import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { IngestEventsUseCase } from '../application/ingest-events.usecase';

/** privacy.erasure.v1 → deletes the user's interactions, interests and course-audience rows for that tenant. */
@Injectable()
export class ErasureConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'privacy.erasure.v1',
      groupId: 'streamer-recommender.erasure',
      handler: async (batch) => {
        for (const m of batch) if (m.value.userId) await this.ingest.eraseUser(m.value.tenantId, m.value.userId);
      },
    });
  }
}
