import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { RecordAudienceUseCase } from '../application/record-audience.usecase';

/**
 * Feeds the content-plan tables: course views with topics (events.clean.v1) and classified questions
 * (comments.classified.v1), in their own consumer groups so the live pipeline is not slowed (erasure: ErasureSubscriber in PlanModule).
 */
@Injectable()
export class AudienceConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(RecordAudienceUseCase) private readonly record: RecordAudienceUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'content-optimiser.audience-topics',
      handler: (batch) => this.record.execute(batch.map((m) => m.value)),
    });
    await this.bus.subscribe({
      topic: 'comments.classified.v1',
      groupId: 'content-optimiser.audience-questions',
      handler: (batch) => this.record.execute(batch.map((m) => m.value as CanonicalEvent)),
    });
  }
}
