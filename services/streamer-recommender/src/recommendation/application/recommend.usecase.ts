import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Cache } from '@livepromo/cache';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { l1Normalised } from '@livepromo/ml';
import {
  CourseRecommendation,
  recommendForCourse,
  recommendForProfile,
  segmentProfile,
  SimilarStreamer,
  similarStreamers,
  StreamerRecommendation,
  userProfile,
} from '../domain/recommender';
import { categoryIndex, DIMS } from '../domain/streamer-features';
import { TenantModel } from '../domain/tenant-model';
import { RecommenderRepository } from '../infrastructure/recommender.repository';
import { RecommenderConfig } from '../recommendation.config';
import { cachePrefix, courseRevisionKey, ModelRegistry } from './model-registry.service';

export const HYBRID_FORMULA =
  'score = Σ δk·Ck + ε·B: content = 0.6·cos(interest, streamer content) + 0.4·cos(interest, streamer audience); cf = ALS x_u·y_s / max; ' +
  'repeat = own strength / max; recency = 1/(1+rank by last interaction); itemKnn = Σ_h w_h·cos(h, s) / max over the co-audience graph; ' +
  'B = popularity log(1+strength_s)/log(1+max). Cold users have only content and B. diversify=true re-ranks the top 3·limit by MMR (λ = MMR_LAMBDA).';

export interface RecommendationResponse<T> {
  tenantId: string;
  modelVersion: string;
  trainedAt: string;
  kind: 'user' | 'course' | 'segment' | 'similar';
  subject: Record<string, unknown>;
  method: { formula: string; weights?: Record<string, number>; sample: { users: number; streamers: number; pairs: number } };
  results: T[];
  cached: boolean;
}

export interface SegmentQuery {
  userIds?: string[];
  interests?: Partial<Record<string, number>>;
  limit: number;
  diversify: boolean;
}

/** The four questions, answered from the tenant's current model and cached per model version. */
@Injectable()
export class RecommendUseCase {
  constructor(
    @Inject(ModelRegistry) private readonly models: ModelRegistry,
    @Inject(RecommenderRepository) private readonly repo: RecommenderRepository,
    @Inject(Cache) private readonly cache: Cache,
    @Inject(CONFIG) private readonly config: RecommenderConfig,
  ) {}

  private async cached<T>(tenantId: string, model: TenantModel, kind: string, params: unknown, compute: () => Promise<RecommendationResponse<T>> | RecommendationResponse<T>): Promise<RecommendationResponse<T>> {
    const ttl = this.config.RECOMMENDATION_CACHE_TTL_MS;
    const key = `${cachePrefix(tenantId)}${model.version}:${kind}:${createHash('sha1').update(JSON.stringify(params)).digest('hex')}`;
    if (ttl > 0) {
      const hit = await this.cache.get(key);
      if (hit) return { ...(JSON.parse(hit) as RecommendationResponse<T>), cached: true };
    }
    const res = await compute();
    if (ttl > 0) await this.cache.set(key, JSON.stringify(res), ttl);
    return res;
  }

  private envelope<T>(model: TenantModel, kind: RecommendationResponse<T>['kind'], subject: Record<string, unknown>, formula: string, results: T[], weights = true): RecommendationResponse<T> {
    return {
      tenantId: model.tenantId,
      modelVersion: model.version,
      trainedAt: model.trainedAt,
      kind,
      subject,
      method: { formula, ...(weights ? { weights: { ...model.weights } } : {}), sample: { users: model.stats.users, streamers: model.stats.streamers, pairs: model.stats.pairs } },
      results,
      cached: false,
    };
  }

  async forUser(tenantId: string, userId: string, limit: number, diversify: boolean): Promise<RecommendationResponse<StreamerRecommendation>> {
    const model = await this.models.get(tenantId);
    return this.cached(tenantId, model, 'user', { userId, limit, diversify }, () => {
      const p = userProfile(model, userId);
      const results = recommendForProfile(model, p, { limit, diversify, mmrLambda: this.config.MMR_LAMBDA });
      return this.envelope(model, 'user', { userId, known: model.userIndex.has(userId), historyStreamers: p.history.length }, HYBRID_FORMULA, results);
    });
  }

  async forSegment(tenantId: string, q: SegmentQuery): Promise<RecommendationResponse<StreamerRecommendation>> {
    const model = await this.models.get(tenantId);
    return this.cached(tenantId, model, 'segment', q, () => {
      const seg = segmentProfile(model, q.userIds ?? [], q.interests);
      const results = recommendForProfile(model, seg.profile, { limit: q.limit, diversify: q.diversify, mmrLambda: this.config.MMR_LAMBDA });
      return this.envelope(
        model,
        'segment',
        { users: q.userIds?.length ?? 0, knownUsers: seg.known, interests: q.interests ?? null },
        `${HYBRID_FORMULA} A segment is one profile: mean interest of its known users (+ the given interests), mean CF vector, merged histories.`,
        results,
      );
    });
  }

  async forCourse(tenantId: string, courseId: string, limit: number, categoryOverride?: string): Promise<RecommendationResponse<CourseRecommendation>> {
    const model = await this.models.get(tenantId);
    const revision = this.config.RECOMMENDATION_CACHE_TTL_MS > 0 ? await this.cache.get(courseRevisionKey(tenantId, courseId)) : null;
    return this.cached(tenantId, model, 'course', { courseId, limit, categoryOverride, revision }, async () => {
      const course = await this.repo.loadCourse(tenantId, courseId);
      const category = categoryOverride ?? course?.category ?? null;
      if (!course && !category)
        throw new DomainError(ErrorCode.NotFound, `course ${courseId} has no events yet; pass ?category= to rank streamers for it from the content side`, { details: { courseId } });
      const audience = course?.audience ?? [];
      const seg = segmentProfile(model, audience);
      const vector = new Float64Array(DIMS);
      const ci = categoryIndex(category);
      if (ci >= 0) vector[ci] = 1;
      for (let c = 0; c < DIMS; c++) vector[c] += 0.5 * (seg.profile.interest?.[c] ?? 0);
      const results = recommendForCourse(model, { vector: l1Normalised(vector), audience }, limit);
      return this.envelope(
        model,
        'course',
        { courseId, category, views: course?.views ?? 0, purchases: course?.purchases ?? 0, audienceUsers: course?.audienceSize ?? 0, audienceUsed: audience.length },
        'ranked by expected enrolments = predicted conversion × reach; predicted conversion = smoothed conversion × affinity, smoothed conversion = (orders + m·p0)/(room entries + m) with m = CONVERSION_SHRINKAGE and p0 the tenant rate; ' +
          'affinity = 0.7·(0.6·cos(course, content) + 0.4·cos(course, audience)) + 0.3·(mean CF vector of the course audience · y_s, scaled by max); ' +
          'course vector = its category one-hot + 0.5 × mean interest of users who viewed or bought it; reach = room entries per session (or followers × FOLLOWER_REACH without sessions); ' +
          'audience overlap = course-interested users who already watch the streamer.',
        results,
        false,
      );
    });
  }

  async similar(tenantId: string, streamerId: string, limit: number): Promise<RecommendationResponse<SimilarStreamer>> {
    const model = await this.models.get(tenantId);
    return this.cached(tenantId, model, 'similar', { streamerId, limit }, () => {
      const results = similarStreamers(model, streamerId, limit);
      if (!results) throw new DomainError(ErrorCode.NotFound, `streamer ${streamerId} is not in model ${model.version}`, { details: { streamerId, modelVersion: model.version } });
      return this.envelope(
        model,
        'similar',
        { streamerId },
        'score = 0.4·cos(ALS item factors) + 0.3·co-audience cosine |U_a ∩ U_b|/√(|U_a||U_b|) + 0.3·content cosine',
        results,
        false,
      );
    });
  }
}
