import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { ReportsUseCase } from '../application/reports.usecase';

/**
 * privacy.erasure.v1 → records the erasure tombstone (so late events of the user are discarded as `erased_user`) and
 * deletes the user's discarded-event rows, dead letters and test-account entry for that tenant.
 */
@Injectable()
export class ErasureConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ReportsUseCase) private readonly reports: ReportsUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'privacy.erasure.v1',
      groupId: 'cleaning.erasure',
      handler: async (batch) => {
        for (const m of batch) if (m.value.userId) await this.reports.eraseUser(m.value.tenantId, m.value.userId, m.value.occurredAt);
      },
    });
  }
}
