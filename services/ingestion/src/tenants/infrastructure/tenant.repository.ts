import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ApiKeyEntity, TenantEntity } from './tenant.entities';

/** Tenants and API keys in ingestion's own schema; every query is scoped by tenantId. */
@Injectable()
export class TenantRepository {
  private readonly tenants: Repository<TenantEntity>;
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(@Inject(DataSource) private readonly ds: DataSource) {
    this.tenants = ds.getRepository(TenantEntity);
    this.keys = ds.getRepository(ApiKeyEntity);
  }

  findTenant(tenantId: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ tenantId });
  }

  /** Inserts a tenant; false when the id is taken. */
  async insertTenant(t: TenantEntity): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `INSERT INTO tenant (tenant_id, name, pseudonymise_user_ids, pseudonym_key, webhook_secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (tenant_id) DO NOTHING RETURNING tenant_id`,
      [t.tenantId, t.name, t.pseudonymiseUserIds, t.pseudonymKey, t.webhookSecret, t.createdAt],
    );
    return rows.length === 1;
  }

  async setWebhookSecret(tenantId: string, sealed: string): Promise<void> {
    await this.tenants.update({ tenantId }, { webhookSecret: sealed, updatedAt: new Date() });
  }

  insertKey(k: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.keys.save(k);
  }

  async deleteKey(tenantId: string, keyId: string): Promise<void> {
    await this.keys.delete({ tenantId, keyId });
  }

  findKey(tenantId: string, keyId: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ tenantId, keyId });
  }

  listKeys(tenantId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  allKeys(): Promise<ApiKeyEntity[]> {
    return this.keys.find({ order: { createdAt: 'ASC' } });
  }

  async revokeKey(tenantId: string, keyId: string, replacedBy: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE api_key SET status = 'revoked', revoked_at = COALESCE(revoked_at, now()), replaced_by = COALESCE($3, replaced_by)
       WHERE tenant_id = $1 AND key_id = $2`,
      [tenantId, keyId, replacedBy],
    );
  }
}
