import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventOf } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { erasedUserHash } from '../domain';
import { ProfileCache } from '../infrastructure/profile.cache';
import { ProfileRepository } from '../infrastructure/profile.repository';

export interface ErasureResult {
  userId: string;
  profileRowsDeleted: number;
  erasureEventId: string | null;
}

/**
 * Erasure: deletes the profile row and cache key (leaving only a hashed tombstone so old
 * events cannot resurrect it) and, for a request, publishes `user.erased` for every service.
 */
@Injectable()
export class EraseUserUseCase {
  constructor(
    @Inject(ProfileRepository) private readonly repo: ProfileRepository,
    @Inject(ProfileCache) private readonly cache: ProfileCache,
    @Inject(MessageBus) private readonly bus: MessageBus,
  ) {}

  /** An erasure request (REST): erase here, then tell everyone. Idempotent. */
  async request(tenantId: string, userId: string, requestedBy: string | undefined): Promise<ErasureResult> {
    const now = new Date();
    const deleted = await this.eraseLocally(tenantId, userId, now.getTime());
    const event: EventOf<'user.erased'> = {
      eventId: `user-erased-${randomUUID()}`,
      tenantId,
      type: 'user.erased',
      source: 'livepromo',
      occurredAt: now.toISOString(),
      receivedAt: now.toISOString(),
      userId,
      schemaVersion: 1,
      payload: requestedBy ? { requestedBy } : {},
    };
    await this.bus.publish('privacy.erasure.v1', [event]);
    return { userId, profileRowsDeleted: deleted, erasureEventId: event.eventId };
  }

  /** Honours a `user.erased` event (ours or another instance's): local effect only. */
  async eraseLocally(tenantId: string, userId: string, erasedAtMs: number): Promise<number> {
    const deleted = await this.repo.erase(tenantId, userId, erasedUserHash(tenantId, userId), erasedAtMs);
    await this.cache.invalidateProfiles([{ tenantId, userId }]);
    return deleted;
  }
}
