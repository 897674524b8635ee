import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { RecordBotTrafficUseCase } from '../application/record-bot-traffic.usecase';

/** Consumes `events.quality.v1` (cleaning's cumulative bot traffic per live session) into ROI's bot-traffic table. */
@Injectable()
export class QualityConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(RecordBotTrafficUseCase) private readonly record: RecordBotTrafficUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.quality.v1',
      groupId: 'roi.quality',
      handler: (batch) => this.record.execute(batch.map((m) => m.value)),
    });
  }
}
