import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { ApplyCleanEventsUseCase } from '../application/apply-clean-events.usecase';
import { ROI_CONFIG, RoiConfig } from '../roi.config';

/** Consumes `events.clean.v1` in batches; the use case makes each batch durable before the offsets are committed. */
@Injectable()
export class CleanEventsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ApplyCleanEventsUseCase) private readonly apply: ApplyCleanEventsUseCase,
    @Inject(ROI_CONFIG) private readonly config: RoiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'roi.ledger',
      maxBatchSize: this.config.consumerBatch,
      handler: async (batch) => {
        await this.apply.execute(batch.map((m) => m.value));
      },
    });
  }
}
