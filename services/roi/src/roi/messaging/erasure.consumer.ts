import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { EraseUserUseCase } from '../application/erase-user.usecase';

/** Honours `user.erased` on `privacy.erasure.v1`: the user's id leaves the ledger, the money stays. */
@Injectable()
export class ErasureConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(EraseUserUseCase) private readonly erase: EraseUserUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'privacy.erasure.v1',
      groupId: 'roi.erasure',
      handler: async (batch) => {
        for (const m of batch) if (m.value.userId) await this.erase.execute(m.value.tenantId, m.value.userId);
      },
    });
  }
}
