import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import {
  DEFAULT_STREAMER_SCORE_WEIGHTS,
  DeltaKind,
  mergeStreamerScoreWeights,
  rankStreamers,
  SHRINKAGE_ENTRIES,
  STREAMER_SCORE_FORMULA,
  StreamerScore,
  StreamerScoreWeights,
} from '../domain/streamer-score';
import { StreamerScoreRepository } from '../infrastructure/streamer-score.repository';

export interface StreamerScoreWeightsPatch {
  delta?: Partial<Record<DeltaKind, number>>;
  epsilon?: number;
}

export interface StreamerScoreWeightsResult {
  weights: StreamerScoreWeights;
  source: 'tenant' | 'default';
  defaults: StreamerScoreWeights;
}

export interface StreamerScoresAnswer {
  formula: string;
  target: { courseId: string | null; category: string | null };
  weights: StreamerScoreWeights;
  weightsSource: 'tenant' | 'default';
  /** how B was shrunk: tenant rate p0 and pseudo-entries m */
  shrinkage: { tenantConversion: number; pseudoEntries: number };
  sample: { streamers: number; roomEntries: number; paidOrders: number; sessions: number };
  results: StreamerScore[];
}

/** Streamer score M over the recommender's streamer tables, with per-tenant weights. */
@Injectable()
export class StreamerScoreUseCase {
  constructor(@Inject(StreamerScoreRepository) private readonly repo: StreamerScoreRepository) {}

  async weights(tenantId: string): Promise<StreamerScoreWeightsResult> {
    const stored = await this.repo.findWeights(tenantId);
    return { weights: mergeStreamerScoreWeights(stored as StreamerScoreWeightsPatch | null), source: stored ? 'tenant' : 'default', defaults: DEFAULT_STREAMER_SCORE_WEIGHTS };
  }

  async putWeights(tenantId: string, patch: StreamerScoreWeightsPatch): Promise<StreamerScoreWeightsResult> {
    const weights = mergeStreamerScoreWeights(patch);
    await this.repo.saveWeights(tenantId, weights);
    return { weights, source: 'tenant', defaults: DEFAULT_STREAMER_SCORE_WEIGHTS };
  }

  async scores(tenantId: string, q: { courseId?: string; category?: string; limit: number }): Promise<StreamerScoresAnswer> {
    let category = q.category ?? null;
    if (q.courseId) {
      const c = await this.repo.courseCategory(tenantId, q.courseId);
      if (c === undefined) throw new DomainError(ErrorCode.NotFound, `no course ${q.courseId} seen for this tenant`, { details: { courseId: q.courseId } });
      category = c ?? category;
    }
    const [records, w] = await Promise.all([this.repo.loadStreamers(tenantId), this.weights(tenantId)]);
    const { p0, scores } = rankStreamers(records, w.weights, category);
    return {
      formula: STREAMER_SCORE_FORMULA,
      target: { courseId: q.courseId ?? null, category },
      weights: w.weights,
      weightsSource: w.source,
      shrinkage: { tenantConversion: p0, pseudoEntries: SHRINKAGE_ENTRIES },
      sample: {
        streamers: records.length,
        roomEntries: records.reduce((s, r) => s + r.enters, 0),
        paidOrders: records.reduce((s, r) => s + r.orders, 0),
        sessions: records.reduce((s, r) => s + r.sessions, 0),
      },
      results: scores.slice(0, q.limit),
    };
  }
}
