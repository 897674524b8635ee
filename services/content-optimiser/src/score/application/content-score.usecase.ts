import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import {
  CONTENT_SCORE_FORMULA,
  ContentScore,
  ContentScoreWeights,
  DEFAULT_CONTENT_SCORE_WEIGHTS,
  liveContentScore,
  mergeContentScoreWeights,
  ThetaKind,
} from '../domain/live-content-score';
import { ContentScoreRepository, MinuteSums } from '../infrastructure/content-score.repository';

export interface ContentScoreWeightsPatch {
  theta?: Partial<Record<ThetaKind, number>>;
  phi?: number;
}

export interface ContentScoreWeightsResult {
  weights: ContentScoreWeights;
  source: 'tenant' | 'default';
  defaults: ContentScoreWeights;
}

export interface ContentScoreAnswer extends ContentScore {
  sessionId: string;
  streamerId: string | null;
  live: boolean;
  formula: string;
  weights: ContentScoreWeights;
  weightsSource: 'tenant' | 'default';
  /** the session's 10-second buckets summed (the sample besides the counts in `sample`) */
  buckets: number;
}

/** Live-content score L of a session, over content-optimiser's own tables, with per-tenant weights. */
@Injectable()
export class ContentScoreUseCase {
  constructor(@Inject(ContentScoreRepository) private readonly repo: ContentScoreRepository) {}

  async weights(tenantId: string): Promise<ContentScoreWeightsResult> {
    const stored = await this.repo.findWeights(tenantId);
    return { weights: mergeContentScoreWeights(stored as ContentScoreWeightsPatch | null), source: stored ? 'tenant' : 'default', defaults: DEFAULT_CONTENT_SCORE_WEIGHTS };
  }

  async putWeights(tenantId: string, patch: ContentScoreWeightsPatch): Promise<ContentScoreWeightsResult> {
    const weights = mergeContentScoreWeights(patch);
    await this.repo.saveWeights(tenantId, weights);
    return { weights, source: 'tenant', defaults: DEFAULT_CONTENT_SCORE_WEIGHTS };
  }

  /**
   * The session's minute curve from its durable 10-second counters (not from closed windows): per minute entries,
   * exits, viewers in the room at the minute's end (Σ entries − Σ exits since the start, ≥ 0), comments, likes,
   * product clicks, paid orders and revenue.
   */
  async minuteCurve(tenantId: string, sessionId: string): Promise<{ sessionId: string; howComputed: string; minutes: (Omit<MinuteSums, 'minuteStartMs'> & { minuteStart: string; viewersAtEnd: number })[] }> {
    const sums = await this.repo.minuteSums(tenantId, sessionId);
    if (!sums) throw new DomainError(ErrorCode.NotFound, `no live session ${sessionId} for this tenant`, { details: { sessionId } });
    let inRoom = 0;
    return {
      sessionId,
      howComputed: 'per-minute sums of the session’s 10-second buckets; viewersAtEnd = max(0, Σ entries − Σ exits from the session start to the minute’s end)',
      minutes: sums.map(({ minuteStartMs, ...m }) => {
        inRoom += m.entered - m.left;
        return { minuteStart: new Date(minuteStartMs).toISOString(), ...m, viewersAtEnd: Math.max(0, inRoom) };
      }),
    };
  }

  async score(tenantId: string, sessionId: string): Promise<ContentScoreAnswer> {
    const [t, w] = await Promise.all([this.repo.sessionTotals(tenantId, sessionId), this.weights(tenantId)]);
    if (!t) throw new DomainError(ErrorCode.NotFound, `no live session ${sessionId} for this tenant`, { details: { sessionId } });
    return {
      sessionId,
      streamerId: t.streamerId,
      live: t.endedAtMs === null,
      formula: CONTENT_SCORE_FORMULA,
      weights: w.weights,
      weightsSource: w.source,
      buckets: t.buckets,
      ...liveContentScore(t.totals, w.weights),
    };
  }
}
