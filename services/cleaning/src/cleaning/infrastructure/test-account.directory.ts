import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import type { CleaningConfig } from '../cleaning.config';
import { CleaningRepository } from './cleaning.repository';
import { RefreshedDirectory } from './refreshed-directory';

/**
 * Per-tenant test accounts: the env list (TEST_ACCOUNTS) plus the REST-managed rows in Postgres,
 * held in memory and reloaded every TEST_ACCOUNTS_REFRESH_MS (and at once after a change here).
 */
@Injectable()
export class TestAccountDirectory extends RefreshedDirectory {
  private byTenant = new Map<string, Set<string>>();

  constructor(
    @Inject(CONFIG) private readonly config: CleaningConfig,
    @Inject(CleaningRepository) private readonly repo: CleaningRepository,
    @Inject(JsonLogger) log: JsonLogger,
  ) {
    super('test-account', config.TEST_ACCOUNTS_REFRESH_MS, log);
  }

  async reload(): Promise<void> {
    const next = new Map<string, Set<string>>();
    const add = (t: string, u: string) => {
      const s = next.get(t) ?? new Set<string>();
      s.add(u);
      next.set(t, s);
    };
    for (const [t, users] of Object.entries(this.config.TEST_ACCOUNTS)) for (const u of users) add(t, u);
    for (const r of await this.repo.listTestAccounts()) add(r.tenantId, r.userId);
    this.byTenant = next;
  }

  isTestAccount(tenantId: string, userId: string | undefined): boolean {
    return userId !== undefined && (this.byTenant.get(tenantId)?.has(userId) ?? false);
  }

  fromEnv(tenantId: string): string[] {
    return this.config.TEST_ACCOUNTS[tenantId] ?? [];
  }
}
