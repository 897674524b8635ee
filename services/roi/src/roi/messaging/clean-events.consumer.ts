import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { DeadLetter } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { ApplyCleanEventsUseCase } from '../application/apply-clean-events.usecase';
import { ROI_CONFIG, RoiConfig } from '../roi.config';

/**
 * Consumes `events.clean.v1` in batches; the use case makes each batch durable before the offsets are committed.
 * Events the ledger refuses (implausible amounts) are dead-lettered to `events.dlq.v1` with their reason before the
 * batch resolves, so nothing is lost and they are counted with every other dead letter.
 */
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
        const out = await this.apply.execute(batch.map((m) => m.value));
        if (out.rejected.length === 0) return;
        const now = new Date().toISOString();
        const letters: DeadLetter[] = out.rejected.map(({ index, why }) => {
          const m = batch[index];
          return {
            // deterministic: a redelivered batch writes the same letter id again, so readers can drop the repeat
            deadLetterId: `roi-${m.topic}-${m.partition}-${m.offset}`,
            reason: why.reason,
            message: why.message.slice(0, 4000),
            service: this.bus.service,
            attempts: 0,
            failedAt: now,
            originalTopic: m.topic,
            originalPartition: m.partition,
            originalOffset: m.offset,
            originalKey: m.key,
            originalBase64: m.raw.toString('base64'),
            tenantId: m.value.tenantId,
            eventId: m.value.eventId,
            eventType: m.value.type,
            details: why.details,
          };
        });
        await this.bus.deadLetter(letters);
      },
    });
  }
}
