import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One row per (tenant, user): the aggregate as JSON plus the columns segments filter on. */
@Entity({ name: 'profile' })
@Index('profile_tenant_top_category', ['tenantId', 'topCategory', 'userId'])
export class ProfileEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ type: 'jsonb', nullable: true }) state: unknown;
  @Column({ type: 'bigint', default: 0 }) version: string;
  @Column({ name: 'events_applied', type: 'integer', default: 0 }) eventsApplied: number;
  @Column({ name: 'paid_orders', type: 'integer', default: 0 }) paidOrders: number;
  @Column({ name: 'last_paid_ms', type: 'bigint', nullable: true }) lastPaidMs: string | null;
  @Column({ name: 'monetary_minor', type: 'bigint', default: 0 }) monetaryMinor: string;
  @Column({ name: 'top_category', type: 'text', nullable: true }) topCategory: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/** Idempotency: an event id is applied at most once per tenant (written in the same transaction). */
@Entity({ name: 'processed_event' })
export class ProcessedEventEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  @Index('processed_event_processed_at')
  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}

/** Category of a live session, from `live.session.started`, to attribute live-room interest. */
@Entity({ name: 'live_session' })
export class LiveSessionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'session_id', type: 'text' }) sessionId: string;
  @Column({ type: 'text' }) category: string;
}

/** Per-tenant behaviour-score weights. */
@Entity({ name: 'score_weights' })
export class ScoreWeightsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @Column({ type: 'jsonb' }) weights: unknown;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/**
 * Transactional outbox of `profile.updated` notices: written in the batch transaction, published
 * and deleted after commit; what a crash left behind is published by the relay.
 */
@Entity({ name: 'profile_outbox' })
export class ProfileOutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @Column({ name: 'user_ids', type: 'jsonb' }) userIds: string[];
  @Column({ type: 'bigint' }) version: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}

/**
 * Erasure tombstone: sha256(tenant, user) and when, so that a redelivered old event cannot
 * bring an erased profile back. Holds no user id.
 */
@Entity({ name: 'erased_user' })
export class ErasedUserEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'user_hash', type: 'text' }) userHash: string;
  @Column({ name: 'erased_at_ms', type: 'bigint' }) erasedAtMs: string;
}

export const PROFILE_ENTITIES = [ProfileEntity, ProcessedEventEntity, LiveSessionEntity, ScoreWeightsEntity, ProfileOutboxEntity, ErasedUserEntity];
