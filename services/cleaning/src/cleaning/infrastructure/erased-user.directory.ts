import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import type { CleaningConfig } from '../cleaning.config';
import { erasedUserHash } from '../domain/erased-user';
import { CleaningRepository } from './cleaning.repository';
import { RefreshedDirectory } from './refreshed-directory';

/**
 * Erasure tombstones in memory, per tenant: sha256(tenant ␀ user) → erasedAt (ms). Loaded from Postgres
 * (`erased_user`) at boot and reloaded every ERASED_USERS_REFRESH_MS, so every replica converges; the process
 * that consumed the `user.erased` updates its copy at once (`record`). Tombstones are never removed, so a reload
 * merges (latest erasedAt wins) rather than replaces: a tombstone recorded during a reload is not lost.
 */
@Injectable()
export class ErasedUserDirectory extends RefreshedDirectory {
  private byTenant = new Map<string, Map<string, number>>();

  constructor(
    @Inject(CONFIG) private readonly config: CleaningConfig,
    @Inject(CleaningRepository) private readonly repo: CleaningRepository,
    @Inject(JsonLogger) log: JsonLogger,
  ) {
    super('erasure tombstone', config.ERASED_USERS_REFRESH_MS, log);
  }

  async reload(): Promise<void> {
    for (const r of await this.repo.listErasures()) this.put(r.tenantId, r.userHash, r.erasedAtMs);
  }

  /** Records a tombstone in this process (after it is durable in Postgres). */
  record(tenantId: string, userId: string, erasedAtMs: number): void {
    this.put(tenantId, erasedUserHash(tenantId, userId), erasedAtMs);
  }

  /** When the user was erased (ms), or null. Hashes only for tenants that have tombstones. */
  erasedAt(tenantId: string, userId: string | undefined): number | null {
    if (userId === undefined) return null;
    const tenant = this.byTenant.get(tenantId);
    if (!tenant) return null;
    return tenant.get(erasedUserHash(tenantId, userId)) ?? null;
  }

  private put(tenantId: string, userHash: string, erasedAtMs: number): void {
    let tenant = this.byTenant.get(tenantId);
    if (!tenant) this.byTenant.set(tenantId, (tenant = new Map<string, number>()));
    const prev = tenant.get(userHash);
    if (prev === undefined || erasedAtMs > prev) tenant.set(userHash, erasedAtMs);
  }
}
