import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { DeadLettersUseCase } from '../application/dead-letters.usecase';

/**
 * events.dlq.v1 → Postgres: archives the letters the bus wrote for cleaning (envelope invalid,
 * not JSON, handler failed) so that every cleaning dead letter can be browsed and replayed.
 * The handler's own letters are already stored before they are published; inserts are idempotent.
 */
@Injectable()
export class DeadLetterArchiveConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(DeadLettersUseCase) private readonly deadLetters: DeadLettersUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.dlq.v1',
      groupId: 'cleaning.dlq-archive',
      handler: async (batch) => {
        await this.deadLetters.archive(batch.map((m) => m.value));
      },
    });
  }
}
