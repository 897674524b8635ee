import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Every dead letter cleaning produced (by its handler or by the bus on its behalf), for browsing and replay. */
@Entity({ name: 'dead_letter' })
@Index('dead_letter_tenant_created', ['tenantId', 'createdAt'])
export class DeadLetterEntity {
  @PrimaryColumn({ name: 'dead_letter_id', type: 'varchar', length: 128 })
  deadLetterId: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 256, nullable: true })
  tenantId: string | null;

  @Column({ type: 'varchar', length: 64 })
  reason: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ name: 'event_id', type: 'varchar', length: 256, nullable: true })
  eventId: string | null;

  @Column({ name: 'event_type', type: 'varchar', length: 256, nullable: true })
  eventType: string | null;

  @Column({ name: 'user_id', type: 'varchar', length: 256, nullable: true })
  userId: string | null;

  @Column({ name: 'original_topic', type: 'varchar', length: 256 })
  originalTopic: string;

  @Column({ name: 'original_partition', type: 'int', nullable: true })
  originalPartition: number | null;

  @Column({ name: 'original_offset', type: 'varchar', length: 32, nullable: true })
  originalOffset: string | null;

  @Column({ name: 'original_base64', type: 'text' })
  originalBase64: string;

  @Column({ type: 'jsonb', nullable: true })
  details: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt: Date | null;
}

/** Events kept out of clean data but counted: duplicates, test accounts, bot traffic. One row per consumed message. */
@Entity({ name: 'discarded_event' })
@Index('discarded_tenant_created', ['tenantId', 'createdAt'])
export class DiscardedEventEntity {
  @PrimaryColumn({ name: 'src_partition', type: 'int' })
  srcPartition: number;

  @PrimaryColumn({ name: 'src_offset', type: 'bigint' })
  srcOffset: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ name: 'event_id', type: 'varchar', length: 128 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ type: 'varchar', length: 64 })
  reason: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  signal: string | null;

  @Column({ name: 'live_session_id', type: 'varchar', length: 128, nullable: true })
  liveSessionId: string | null;

  @Column({ name: 'user_id', type: 'varchar', length: 128, nullable: true })
  userId: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Per-tenant test accounts managed over REST (the env list TEST_ACCOUNTS adds to these). */
@Entity({ name: 'test_account' })
export class TestAccountEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 128 })
  userId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export const CLEANING_ENTITIES = [DeadLetterEntity, DiscardedEventEntity, TestAccountEntity];
