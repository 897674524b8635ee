import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Event ids already applied (idempotency). */
@Entity({ name: 'processed_event' })
export class ProcessedEventEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 128 }) eventId: string;
  @Column({ name: 'processed_at', type: 'timestamptz' }) processedAt: Date;
}

/** A streamer's latest profile (last writer by occurredAt wins). */
@Entity({ name: 'streamer' })
export class StreamerEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'streamer_id', type: 'varchar', length: 128 }) streamerId: string;
  @Column({ type: 'varchar', length: 128, nullable: true }) name: string | null;
  @Column({ type: 'text' }) categories: string;
  @Column({ type: 'int' }) followers: number;
  @Column({ name: 'price_band', type: 'varchar', length: 8, nullable: true }) priceBand: string | null;
  @Column({ name: 'profile_at', type: 'timestamptz', nullable: true }) profileAt: Date | null;
}

/** Additive counters of a streamer's live activity. */
@Entity({ name: 'streamer_activity' })
export class StreamerActivityEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'streamer_id', type: 'varchar', length: 128 }) streamerId: string;
  @Column({ type: 'int' }) sessions: number;
  @Column({ name: 'live_sec', type: 'double precision' }) liveSec: number;
  @Column({ type: 'int' }) enters: number;
  @Column({ name: 'watch_sec', type: 'double precision' }) watchSec: number;
  @Column({ type: 'int' }) interactions: number;
  @Column({ type: 'int' }) orders: number;
  @Column({ name: 'revenue_minor', type: 'bigint' }) revenueMinor: string;
}

/** Categories of a streamer's sessions, counted. */
@Entity({ name: 'streamer_category' })
export class StreamerCategoryEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'streamer_id', type: 'varchar', length: 128 }) streamerId: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) category: string;
  @Column({ type: 'double precision' }) weight: number;
}

/** Live sessions: which streamer, category and duration. */
@Entity({ name: 'live_session' })
export class LiveSessionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'live_session_id', type: 'varchar', length: 128 }) liveSessionId: string;
  @Column({ name: 'streamer_id', type: 'varchar', length: 128, nullable: true }) streamerId: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) category: string | null;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
  @Column({ name: 'duration_sec', type: 'double precision', nullable: true }) durationSec: number | null;
  @Column({ name: 'peak_viewers', type: 'int', nullable: true }) peakViewers: number | null;
}

/** A user's explicit category interest (views, searches, purchases, sessions entered). */
@Entity({ name: 'user_interest' })
export class UserInterestEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 128 }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) category: string;
  @Column({ type: 'double precision' }) weight: number;
}

/** Implicit feedback of a user–streamer pair. */
@Entity({ name: 'user_streamer' })
export class UserStreamerEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 128 }) userId: string;
  @PrimaryColumn({ name: 'streamer_id', type: 'varchar', length: 128 }) streamerId: string;
  @Column({ type: 'int' }) enters: number;
  @Column({ name: 'watch_sec', type: 'double precision' }) watchSec: number;
  @Column({ type: 'int' }) interactions: number;
  @Column({ type: 'int' }) purchases: number;
  @Column({ name: 'last_at', type: 'timestamptz' }) lastAt: Date;
}

@Entity({ name: 'course' })
export class CourseEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'course_id', type: 'varchar', length: 128 }) courseId: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) category: string | null;
  @Column({ type: 'int' }) views: number;
  @Column({ type: 'int' }) purchases: number;
}

/** Users who viewed or bought a course. */
@Entity({ name: 'course_audience' })
export class CourseAudienceEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'course_id', type: 'varchar', length: 128 }) courseId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 128 }) userId: string;
  @Column({ type: 'double precision' }) weight: number;
}

/** One training run: version, sizes, weights, clusters. */
@Entity({ name: 'model_run' })
export class ModelRunEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @PrimaryColumn({ name: 'model_version', type: 'varchar', length: 64 }) modelVersion: string;
  @Column({ name: 'trained_at', type: 'timestamptz' }) trainedAt: Date;
  @Column({ name: 'training_ms', type: 'int' }) trainingMs: number;
  @Column({ type: 'jsonb' }) summary: unknown;
}

/** Tenants whose features changed since their last training. */
@Entity({ name: 'dirty_tenant' })
export class DirtyTenantEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 }) tenantId: string;
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt: Date;
}

export const RECOMMENDER_ENTITIES = [
  ProcessedEventEntity,
  StreamerEntity,
  StreamerActivityEntity,
  StreamerCategoryEntity,
  LiveSessionEntity,
  UserInterestEntity,
  UserStreamerEntity,
  CourseEntity,
  CourseAudienceEntity,
  ModelRunEntity,
  DirtyTenantEntity,
];
