import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { ApplyCleanEventsUseCase } from '../application/apply-clean-events.usecase';
import { PROFILE_CONFIG, ProfileConfig } from '../profile.config';

/** Consumes `events.clean.v1` in batches; the use case makes each batch durable before the commit. */
@Injectable()
export class CleanEventsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ApplyCleanEventsUseCase) private readonly apply: ApplyCleanEventsUseCase,
    @Inject(PROFILE_CONFIG) private readonly config: ProfileConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'user-profile.profiles',
      maxBatchSize: this.config.consumerBatch,
      partitionsConcurrently: this.config.partitionsConcurrently,
      handler: async (batch) => {
        await this.apply.execute(batch.map((m) => m.value));
      },
    });
  }
}
