import { Inject, Injectable, OnApplicationBootstrap, Type } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';

/** One erasure, as every service honours it: the tenant, the user id as stored (pseudonymised where the tenant says so), when. */
export interface ErasureRequest {
  tenantId: string;
  userId: string;
  /** occurredAt of the `user.erased` event (ISO 8601). */
  erasedAt: string;
}

/**
 * A provider that honours `user.erased` on `privacy.erasure.v1` in its own consumer group (`<service>.erasure`) by handing
 * each erasure, in order, to the service's use case; the bus commits the batch only after every erasure in it is done, so
 * an erasure is never skipped by a crash. Each service's erasure was the same 20-line consumer before.
 *
 *   providers: [EraseUserUseCase, ErasureSubscriber('roi.erasure', EraseUserUseCase, (uc, r) => uc.execute(r.tenantId, r.userId))]
 */
export function ErasureSubscriber<U>(
  groupId: string,
  useCase: Type<U>,
  erase: (useCase: U, request: ErasureRequest) => Promise<unknown>,
): Type<OnApplicationBootstrap> {
  @Injectable()
  class Subscriber implements OnApplicationBootstrap {
    constructor(
      @Inject(MessageBus) private readonly bus: MessageBus,
      @Inject(useCase) private readonly target: U,
    ) {}

    async onApplicationBootstrap(): Promise<void> {
      await this.bus.subscribe({
        topic: 'privacy.erasure.v1',
        groupId,
        handler: async (batch) => {
          for (const m of batch) {
            const { tenantId, userId, occurredAt } = m.value;
            if (userId) await erase(this.target, { tenantId, userId, erasedAt: occurredAt });
          }
        },
      });
    }
  }
  Object.defineProperty(Subscriber, 'name', { value: `ErasureSubscriber_${groupId.replace(/[^A-Za-z0-9]/g, '_')}` });
  return Subscriber;
}
