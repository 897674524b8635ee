import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { buildProfileView, ProfileView } from '../domain';
import { ProfileCache } from '../infrastructure/profile.cache';
import { ProfileRepository } from '../infrastructure/profile.repository';
import { PROFILE_CONFIG, ProfileConfig } from '../profile.config';
import { ScoreWeightsUseCase } from './score-weights.usecase';

/** A user's profile at `asOf`: the stored aggregate (Redis read-through, Postgres truth) turned into the read model. */
@Injectable()
export class GetProfileUseCase {
  constructor(
    @Inject(ProfileRepository) private readonly repo: ProfileRepository,
    @Inject(ProfileCache) private readonly cache: ProfileCache,
    @Inject(ScoreWeightsUseCase) private readonly weights: ScoreWeightsUseCase,
    @Inject(PROFILE_CONFIG) private readonly config: ProfileConfig,
  ) {}

  async execute(tenantId: string, userId: string, asOfMs: number): Promise<ProfileView> {
    let stored = await this.cache.getProfile(tenantId, userId);
    if (!stored) {
      stored = await this.repo.find(tenantId, userId);
      if (!stored) throw new DomainError(ErrorCode.NotFound, `no profile for user ${userId}`, { details: { userId } });
      await this.cache.putProfile(stored);
    }
    const w = await this.weights.get(tenantId);
    return buildProfileView(stored, asOfMs, w.weights, w.source, this.config.settings);
  }
}
