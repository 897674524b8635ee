import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A tenant: a course seller or agency. Secrets are sealed by SecretBox (see README). */
@Entity({ name: 'tenant' })
export class TenantEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ type: 'varchar', length: 256 })
  name: string;

  @Column({ name: 'pseudonymise_user_ids', type: 'boolean', default: false })
  pseudonymiseUserIds: boolean;

  /** Sealed HMAC key for user-id pseudonyms. */
  @Column({ name: 'pseudonym_key', type: 'text' })
  pseudonymKey: string;

  /** Sealed webhook signing secret; null until an operator creates one. */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true })
  webhookSecret: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** An API key: only its sha256 is stored. */
@Entity({ name: 'api_key' })
@Index('api_key_tenant', ['tenantId'])
export class ApiKeyEntity {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 64 })
  keyId: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ name: 'key_hash', type: 'char', length: 64, unique: true })
  keyHash: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  label: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: 'active' | 'revoked';

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Set when this key was revoked by a rotation: the key that replaced it. */
  @Column({ name: 'replaced_by', type: 'varchar', length: 64, nullable: true })
  replacedBy: string | null;
}

export const TENANT_ENTITIES = [TenantEntity, ApiKeyEntity];
