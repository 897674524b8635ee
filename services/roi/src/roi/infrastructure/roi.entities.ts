import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A money movement in integer minor units (bigint); see the migration for indexes. */
@Entity({ name: 'ledger_entry' })
export class LedgerEntryEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  @PrimaryColumn({ type: 'text' }) kind: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'date' }) day: string;
  @Column({ name: 'user_id', type: 'text', nullable: true }) userId: string | null;
  @Column({ name: 'session_id', type: 'text', nullable: true }) sessionId: string | null;
  @Column({ name: 'streamer_id', type: 'text', nullable: true }) streamerId: string | null;
  @Column({ name: 'course_id', type: 'text', nullable: true }) courseId: string | null;
  @Column({ type: 'text', nullable: true }) channel: string | null;
  @Column({ name: 'order_id', type: 'text', nullable: true }) orderId: string | null;
  @Column({ name: 'event_session_id', type: 'text', nullable: true }) eventSessionId: string | null;
  @Column({ name: 'event_streamer_id', type: 'text', nullable: true }) eventStreamerId: string | null;
  @Column({ type: 'text' }) attribution: string;
  @Column({ name: 'amount_minor', type: 'bigint' }) amountMinor: string;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'window_ends_at', type: 'timestamptz', nullable: true }) windowEndsAt: Date | null;
  @Column({ name: 'source_event_id', type: 'text', nullable: true }) sourceEventId: string | null;
  @Column({ name: 'rule_event_id', type: 'text', nullable: true }) ruleEventId: string | null;
}

/** A counted funnel/factor fact (room entry, click, order created, watch seconds, impressions …). */
@Entity({ name: 'funnel_fact' })
export class FunnelFactEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'date' }) day: string;
  @Column({ name: 'user_id', type: 'text', nullable: true }) userId: string | null;
  @Column({ name: 'session_id', type: 'text', nullable: true }) sessionId: string | null;
  @Column({ name: 'streamer_id', type: 'text', nullable: true }) streamerId: string | null;
  @Column({ name: 'course_id', type: 'text', nullable: true }) courseId: string | null;
  @Column({ type: 'text', nullable: true }) channel: string | null;
  @Column({ type: 'bigint' }) qty: string;
}

/** Commission or rate-based platform fee, materialised onto the revenue rows in its scope. */
@Entity({ name: 'rate_rule' })
export class RateRuleEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'double precision' }) rate: number;
  @Column({ name: 'order_id', type: 'text', nullable: true }) orderId: string | null;
  @Column({ name: 'session_id', type: 'text', nullable: true }) sessionId: string | null;
  @Column({ name: 'streamer_id', type: 'text', nullable: true }) streamerId: string | null;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
}

/** Erasure tombstone: no user id, only its tenant-scoped hash and the pseudonym that replaced it. */
@Entity({ name: 'erased_user' })
export class ErasedUserEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'user_hash', type: 'text' }) userHash: string;
  @Column({ type: 'text' }) pseudonym: string;
  @Column({ name: 'erased_at', type: 'timestamptz', default: () => 'now()' }) erasedAt: Date;
}

export const ROI_ENTITIES = [LedgerEntryEntity, FunnelFactEntity, RateRuleEntity, ErasedUserEntity];
