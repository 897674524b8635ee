import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { JsonLogger } from '@livepromo/observability';
import { ApplyCleanEventsUseCase } from '../application/apply-clean-events.usecase';
import { ProfileRepository } from '../infrastructure/profile.repository';
import { PROFILE_CONFIG, ProfileConfig } from '../profile.config';

const PRUNE_EVERY_MS = 3_600_000;

/** Consumes `events.clean.v1` in batches; the use case makes each batch durable before the commit. */
@Injectable()
export class CleanEventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ApplyCleanEventsUseCase) private readonly apply: ApplyCleanEventsUseCase,
    @Inject(ProfileRepository) private readonly repo: ProfileRepository,
    @Inject(PROFILE_CONFIG) private readonly config: ProfileConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'user-profile.profiles',
      maxBatchSize: this.config.consumerBatch,
      partitionsConcurrently: this.config.partitionsConcurrently,
      handler: async (batch) => {
        await this.apply.execute(batch.map((m) => m.value));
      },
    });
    this.pruneTimer = setInterval(() => {
      this.repo
        .pruneProcessed(new Date(Date.now() - this.config.processedRetentionMs))
        .catch((e: unknown) => this.log.warn('pruning processed event ids failed', { error: String(e) }));
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }
}
