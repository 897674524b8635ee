import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { CONFIG } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import type { CleaningConfig } from '../cleaning.config';
import { CleanBatchUseCase } from '../application/clean-batch.usecase';

/** ingest.raw.v1 → CleanBatchUseCase; the bus commits after it resolves. */
@Injectable()
export class RawEventsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(CleanBatchUseCase) private readonly cleanBatch: CleanBatchUseCase,
    @Inject(CONFIG) private readonly config: CleaningConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'ingest.raw.v1',
      groupId: 'cleaning.raw',
      maxBatchSize: this.config.CLEANING_BATCH_SIZE,
      // safe: a batch's state is its own; shared state (bot windows, dedup claims) is per session/key and atomic
      partitionsConcurrently: this.config.CLEANING_PARTITIONS_CONCURRENTLY,
      handler: async (batch) => {
        const r = await this.cleanBatch.execute(batch);
        if (r.skippedAlreadyHandled || r.redone) {
          this.log.info('redelivered messages recognised', { skippedAlreadyHandled: r.skippedAlreadyHandled, redone: r.redone, partition: batch[0]?.partition });
        }
      },
    });
  }
}
