import { Inject, Injectable } from '@nestjs/common';
import { TenantRepository } from '../infrastructure/tenant.repository';
import { SecretBox } from '../domain/secret-box';

export interface TenantSettings {
  /** Known to ingestion's tenant table (keys granted elsewhere, e.g. tests, have no row). */
  known: boolean;
  pseudonymKey: string | null;
  webhookSecret: string | null;
}

export const SECRET_BOX = Symbol('INGESTION_SECRET_BOX');
const TTL_MS = 10_000;

/**
 * Per-tenant settings the hot path needs (pseudonymisation key, webhook secret), read from Postgres
 * and cached in memory for 10 s (changes made through this instance invalidate at once; other
 * instances see them within 10 s).
 */
@Injectable()
export class TenantSettingsService {
  private readonly cache = new Map<string, { at: number; value: Promise<TenantSettings> }>();

  constructor(
    @Inject(TenantRepository) private readonly repo: TenantRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  get(tenantId: string): Promise<TenantSettings> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = this.load(tenantId);
    this.cache.set(tenantId, { at: Date.now(), value });
    value.catch(() => this.cache.delete(tenantId));
    return value;
  }

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async load(tenantId: string): Promise<TenantSettings> {
    const t = await this.repo.findTenant(tenantId);
    if (!t) return { known: false, pseudonymKey: null, webhookSecret: null };
    return {
      known: true,
      pseudonymKey: t.pseudonymiseUserIds ? this.box.open(t.pseudonymKey) : null,
      webhookSecret: t.webhookSecret ? this.box.open(t.webhookSecret) : null,
    };
  }
}
