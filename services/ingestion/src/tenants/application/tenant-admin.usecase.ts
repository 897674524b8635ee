import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EventOf } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { CONFIG, DomainError, ErrorCode, TenantKeyDirectory } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import { IngestionConfig } from '../../ingestion.config';
import { publishOrUnavailable } from '../../common/publish-with-timeout';
import { mintApiKey, mintWebhookSecret } from '../domain/api-key';
import { SecretBox } from '../domain/secret-box';
import { ApiKeyEntity, TenantEntity } from '../infrastructure/tenant.entities';
import { TenantRepository } from '../infrastructure/tenant.repository';
import { SECRET_BOX, TenantSettingsService } from './tenant-settings.service';

export interface KeyView {
  keyId: string;
  tenantId: string;
  label: string | null;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt: string | null;
  replacedBy: string | null;
}

export interface IssuedKey extends KeyView {
  /** The API key in clear: shown once, never stored. */
  key: string;
}

export interface TenantView {
  tenantId: string;
  name: string;
  pseudonymiseUserIds: boolean;
  hasWebhookSecret: boolean;
  createdAt: string;
}

function keyView(k: ApiKeyEntity): KeyView {
  return {
    keyId: k.keyId,
    tenantId: k.tenantId,
    label: k.label,
    status: k.status,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
    replacedBy: k.replacedBy,
  };
}

function tenantView(t: TenantEntity): TenantView {
  return { tenantId: t.tenantId, name: t.name, pseudonymiseUserIds: t.pseudonymiseUserIds, hasWebhookSecret: !!t.webhookSecret, createdAt: t.createdAt.toISOString() };
}

/**
 * Operator use cases: tenants, API keys (create / rotate / revoke) and webhook secrets.
 * Every key change is written to Postgres and published as `tenant.key.changed` on
 * `tenants.keys.v1` (keyed by keyId, so compaction keeps the latest state of each key);
 * every service's TenantKeyDirectory is fed from that topic.
 */
@Injectable()
export class TenantAdminUseCase {
  constructor(
    @Inject(TenantRepository) private readonly repo: TenantRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(TenantKeyDirectory) private readonly directory: TenantKeyDirectory,
    @Inject(TenantSettingsService) private readonly settings: TenantSettingsService,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: IngestionConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async createTenant(cmd: { tenantId: string; name: string; pseudonymiseUserIds: boolean; keyLabel?: string }): Promise<{ tenant: TenantView; apiKey: IssuedKey }> {
    const now = new Date();
    const t = Object.assign(new TenantEntity(), {
      tenantId: cmd.tenantId,
      name: cmd.name,
      pseudonymiseUserIds: cmd.pseudonymiseUserIds,
      pseudonymKey: this.box.seal(randomBytes(32).toString('base64url')),
      webhookSecret: null,
      createdAt: now,
      updatedAt: now,
    });
    if (!(await this.repo.insertTenant(t))) throw new DomainError(ErrorCode.Conflict, `tenant ${cmd.tenantId} already exists`);
    this.settings.invalidate(cmd.tenantId);
    const apiKey = await this.createKey(cmd.tenantId, cmd.keyLabel ?? 'default');
    return { tenant: tenantView(t), apiKey };
  }

  async getTenant(tenantId: string): Promise<TenantView> {
    return tenantView(await this.requireTenant(tenantId));
  }

  async createKey(tenantId: string, label: string | null): Promise<IssuedKey> {
    await this.requireTenant(tenantId);
    const minted = mintApiKey(tenantId);
    const entity = Object.assign(new ApiKeyEntity(), {
      keyId: minted.keyId,
      tenantId,
      keyHash: minted.keyHash,
      label,
      status: 'active' as const,
      createdAt: new Date(),
      revokedAt: null,
      replacedBy: null,
    });
    await this.repo.insertKey(entity);
    try {
      await this.announce(entity);
    } catch (e) {
      // not announced, so not usable anywhere: do not leave a key the directory never heard of
      await this.repo.deleteKey(tenantId, entity.keyId);
      throw e;
    }
    this.log.info('api key created', { tenantId, keyId: entity.keyId });
    return { ...keyView(entity), key: minted.key };
  }

  /** Issues a new key and revokes the old one at once (the old key answers 401 from then on). */
  async rotateKey(tenantId: string, keyId: string): Promise<{ revoked: KeyView; issued: IssuedKey }> {
    const old = await this.requireKey(tenantId, keyId);
    if (old.status === 'revoked') throw new DomainError(ErrorCode.Conflict, `key ${keyId} is already revoked`);
    const issued = await this.createKey(tenantId, old.label);
    const revoked = await this.revokeKey(tenantId, keyId, issued.keyId);
    return { revoked, issued };
  }

  /** Idempotent: revoking again re-announces the revocation (useful after a 503). */
  async revokeKey(tenantId: string, keyId: string, replacedBy: string | null = null): Promise<KeyView> {
    await this.requireKey(tenantId, keyId);
    await this.repo.revokeKey(tenantId, keyId, replacedBy);
    const k = await this.requireKey(tenantId, keyId);
    await this.announce(k);
    this.log.info('api key revoked', { tenantId, keyId });
    return keyView(k);
  }

  async listKeys(tenantId: string): Promise<KeyView[]> {
    await this.requireTenant(tenantId);
    return (await this.repo.listKeys(tenantId)).map(keyView);
  }

  /** Creates or replaces the webhook signing secret; the clear secret is returned once. */
  async rotateWebhookSecret(tenantId: string): Promise<{ tenantId: string; webhookSecret: string; encryptedAtRest: boolean }> {
    await this.requireTenant(tenantId);
    const secret = mintWebhookSecret();
    await this.repo.setWebhookSecret(tenantId, this.box.seal(secret));
    this.settings.invalidate(tenantId);
    return { tenantId, webhookSecret: secret, encryptedAtRest: this.box.encrypts };
  }

  /** Re-publishes every key's current state (rebuilds the directory topic, e.g. after it was lost). */
  async republishAll(): Promise<{ published: number }> {
    const keys = await this.repo.allKeys();
    for (const k of keys) await this.announce(k);
    return { published: keys.length };
  }

  private async announce(k: ApiKeyEntity): Promise<void> {
    const now = new Date().toISOString();
    // every service applies the tenant's pseudonymisation to raw user ids given to its routes (erasure, profiles, ...)
    const pseudonymKey = (await this.settings.get(k.tenantId)).pseudonymKey;
    const event: EventOf<'tenant.key.changed'> = {
      eventId: `key-${k.keyId}-${k.status}-${Date.now().toString(36)}`,
      tenantId: k.tenantId,
      type: 'tenant.key.changed',
      source: 'livepromo',
      occurredAt: now,
      receivedAt: now,
      schemaVersion: 1,
      payload: { keyId: k.keyId, keyHash: k.keyHash, status: k.status, ...(k.label ? { label: k.label } : {}), ...(pseudonymKey ? { pseudonymKey } : {}) },
    };
    await publishOrUnavailable(this.bus, 'tenants.keys.v1', [event], this.config.PUBLISH_TIMEOUT_MS, { key: k.keyId });
    // this instance answers with the new state at once; every other service catches up from the topic
    this.directory.apply(event);
  }

  private async requireTenant(tenantId: string): Promise<TenantEntity> {
    const t = await this.repo.findTenant(tenantId);
    if (!t) throw new DomainError(ErrorCode.NotFound, `tenant ${tenantId} not found`);
    return t;
  }

  private async requireKey(tenantId: string, keyId: string): Promise<ApiKeyEntity> {
    const k = await this.repo.findKey(tenantId, keyId);
    if (!k) throw new DomainError(ErrorCode.NotFound, `key ${keyId} of tenant ${tenantId} not found`);
    return k;
  }
}
