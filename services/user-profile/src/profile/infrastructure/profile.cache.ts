import { Inject, Injectable } from '@nestjs/common';
import { Cache } from '@livepromo/cache';
import type { StoredProfile } from '../domain';
import { PROFILE_CONFIG, ProfileConfig } from '../profile.config';

/** Redis keys of the profile context (the adapter adds the service/run prefix). */
export const cacheKeys = {
  profile: (tenantId: string, userId: string) => `profile:${tenantId}:${userId}`,
  weights: (tenantId: string) => `weights:${tenantId}`,
};

/** Hot reads: the stored aggregate and tenant weights, read-through, invalidated after each write. */
@Injectable()
export class ProfileCache {
  private readonly ttlMs: number;

  constructor(
    @Inject(Cache) private readonly cache: Cache,
    @Inject(PROFILE_CONFIG) config: ProfileConfig,
  ) {
    this.ttlMs = config.cacheTtlMs;
  }

  async getProfile(tenantId: string, userId: string): Promise<StoredProfile | null> {
    const raw = await this.cache.get(cacheKeys.profile(tenantId, userId));
    return raw ? (JSON.parse(raw) as StoredProfile) : null;
  }

  async putProfile(p: StoredProfile): Promise<void> {
    await this.cache.set(cacheKeys.profile(p.tenantId, p.userId), JSON.stringify(p), this.ttlMs);
  }

  async invalidateProfiles(keys: { tenantId: string; userId: string }[]): Promise<void> {
    if (keys.length) await this.cache.del(keys.map((k) => cacheKeys.profile(k.tenantId, k.userId)));
  }

  /** `undefined` = not cached; `null` = cached "no tenant weights". */
  async getWeights(tenantId: string): Promise<unknown> {
    const raw = await this.cache.get(cacheKeys.weights(tenantId));
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  }

  async putWeights(tenantId: string, weights: unknown): Promise<void> {
    await this.cache.set(cacheKeys.weights(tenantId), JSON.stringify(weights ?? null), this.ttlMs);
  }

  async invalidateWeights(tenantId: string): Promise<void> {
    await this.cache.del([cacheKeys.weights(tenantId)]);
  }
}
