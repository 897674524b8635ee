import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JsonLogger } from '@livepromo/observability';
import { ProfileRepository } from '../infrastructure/profile.repository';
import { PROFILE_CONFIG, ProfileConfig } from '../profile.config';

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Keeps the processed-event-id table (the consumer's idempotency record) bounded: every hour, ids older than
 * `processedRetentionMs` are dropped. A redelivery older than that is beyond Kafka's own redelivery horizon.
 */
@Injectable()
export class PruneProcessedService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ProfileRepository) private readonly repo: ProfileRepository,
    @Inject(PROFILE_CONFIG) private readonly config: ProfileConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  /** One pruning pass (also what the timer runs). */
  async pruneOnce(nowMs = Date.now()): Promise<void> {
    await this.repo.pruneProcessed(new Date(nowMs - this.config.processedRetentionMs));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.pruneOnce().catch((e: unknown) => this.log.warn('pruning processed event ids failed', { error: String(e) }));
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
