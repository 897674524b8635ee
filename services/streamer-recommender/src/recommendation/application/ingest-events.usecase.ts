import { Inject, Injectable } from '@nestjs/common';
import type { CanonicalEvent } from '@livepromo/contracts';
import { Metrics } from '@livepromo/observability';
import { ApplyResult, RecommenderRepository } from '../infrastructure/recommender.repository';
import { ModelRegistry } from './model-registry.service';

/** Keeps streamer features, user interests and implicit feedback up to date from clean events. */
@Injectable()
export class IngestEventsUseCase {
  constructor(
    @Inject(RecommenderRepository) private readonly repo: RecommenderRepository,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(ModelRegistry) private readonly models: ModelRegistry,
  ) {}

  async apply(events: readonly CanonicalEvent[]): Promise<ApplyResult> {
    const r = await this.repo.applyEvents(events);
    this.metrics.counter('livepromo_recommender_events_total', 'clean events applied or skipped as duplicates', ['outcome']).inc({ outcome: 'applied' }, r.applied);
    if (r.duplicates) this.metrics.counter('livepromo_recommender_events_total', 'clean events applied or skipped as duplicates', ['outcome']).inc({ outcome: 'duplicate' }, r.duplicates);
    return r;
  }

  /** Deletes the user's rows for the tenant, then drops them from the served model and the cache. */
  async eraseUser(tenantId: string, userId: string): Promise<void> {
    await this.repo.eraseUser(tenantId, userId);
    await this.models.forgetUser(tenantId, userId);
  }
}
