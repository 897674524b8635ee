import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CanonicalEvent } from '@livepromo/contracts';
import { Cache } from '@livepromo/cache';
import { Metrics } from '@livepromo/observability';
import { CONFIG } from '@livepromo/service-kit';
import { ApplyResult, RecommenderRepository } from '../infrastructure/recommender.repository';
import { RecommenderConfig } from '../recommendation.config';
import { courseRevisionKey, ModelRegistry } from './model-registry.service';

/** Keeps streamer features, user interests and implicit feedback up to date from clean events. */
@Injectable()
export class IngestEventsUseCase {
  constructor(
    @Inject(RecommenderRepository) private readonly repo: RecommenderRepository,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(ModelRegistry) private readonly models: ModelRegistry,
    @Inject(Cache) private readonly cache: Cache,
    @Inject(CONFIG) private readonly config: RecommenderConfig,
  ) {}

  async apply(events: readonly CanonicalEvent[]): Promise<ApplyResult> {
    const r = await this.repo.applyEvents(events);
    this.metrics.counter('livepromo_recommender_events_total', 'clean events applied or skipped as duplicates', ['outcome']).inc({ outcome: 'applied' }, r.applied);
    if (r.duplicates) this.metrics.counter('livepromo_recommender_events_total', 'clean events applied or skipped as duplicates', ['outcome']).inc({ outcome: 'duplicate' }, r.duplicates);
    await this.touchCourses(r.courses);
    return r;
  }

  /**
   * Course answers read the course's row and audience besides the model: a new revision token per changed
   * course makes its cached answers unreachable at once (the rest of the cache follows the model version).
   * The token outlives any answer cached under it (twice the cache TTL), so a lapsed token cannot revive one.
   */
  private async touchCourses(courses: ApplyResult['courses']): Promise<void> {
    const ttl = this.config.RECOMMENDATION_CACHE_TTL_MS;
    if (ttl <= 0 || !courses.length) return;
    const token = randomUUID();
    await Promise.all(courses.map((c) => this.cache.set(courseRevisionKey(c.tenantId, c.courseId), token, 2 * ttl)));
  }

  /** Deletes the user's rows for the tenant, then drops them from the served model and the cache. */
  async eraseUser(tenantId: string, userId: string): Promise<void> {
    await this.repo.eraseUser(tenantId, userId);
    await this.models.forgetUser(tenantId, userId);
  }
}
