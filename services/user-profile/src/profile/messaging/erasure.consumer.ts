import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { EraseUserUseCase } from '../application/erase-user.usecase';

/** Honours `user.erased` on `privacy.erasure.v1` (including erasures requested on another instance). */
@Injectable()
export class ErasureConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(EraseUserUseCase) private readonly erase: EraseUserUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'privacy.erasure.v1',
      groupId: 'user-profile.erasure',
      handler: async (batch) => {
        for (const m of batch) {
          const e = m.value;
          if (e.userId) await this.erase.eraseLocally(e.tenantId, e.userId, Date.parse(e.occurredAt));
        }
      },
    });
  }
}
