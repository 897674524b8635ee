import { Inject, Injectable } from '@nestjs/common';
import { AlphaKind, DEFAULT_SCORE_WEIGHTS, mergeWeights, ScoreWeights } from '../domain';
import { ProfileCache } from '../infrastructure/profile.cache';
import { ProfileRepository } from '../infrastructure/profile.repository';

export interface WeightsPatch {
  alpha?: Partial<Record<AlphaKind, number>>;
  beta?: number;
  gamma?: number;
}

export interface WeightsResult {
  weights: ScoreWeights;
  source: 'tenant' | 'default';
  defaults: ScoreWeights;
}

/** Per-tenant behaviour-score weights: stored in Postgres, read through Redis. */
@Injectable()
export class ScoreWeightsUseCase {
  constructor(
    @Inject(ProfileRepository) private readonly repo: ProfileRepository,
    @Inject(ProfileCache) private readonly cache: ProfileCache,
  ) {}

  async get(tenantId: string): Promise<WeightsResult> {
    let stored = await this.cache.getWeights(tenantId);
    if (stored === undefined) {
      stored = await this.repo.findWeights(tenantId);
      await this.cache.putWeights(tenantId, stored);
    }
    return { weights: mergeWeights(stored as WeightsPatch | null), source: stored ? 'tenant' : 'default', defaults: DEFAULT_SCORE_WEIGHTS };
  }

  /** Replaces the tenant's weights; unspecified ones take the defaults. */
  async put(tenantId: string, patch: WeightsPatch): Promise<WeightsResult> {
    const weights = mergeWeights(patch);
    await this.repo.saveWeights(tenantId, weights);
    await this.cache.invalidateWeights(tenantId);
    return { weights, source: 'tenant', defaults: DEFAULT_SCORE_WEIGHTS };
  }
}
