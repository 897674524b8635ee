import { Module } from '@nestjs/common';
import { CONFIG } from '@livepromo/service-kit';
import { ApplyCleanEventsUseCase } from './application/apply-clean-events.usecase';
import { EraseUserUseCase } from './application/erase-user.usecase';
import { GetProfileUseCase } from './application/get-profile.usecase';
import { ProfileNoticesService } from './application/profile-notices.service';
import { ScoreWeightsUseCase } from './application/score-weights.usecase';
import { SegmentsUseCase } from './application/segments.usecase';
import { ProfileController } from './http/profile.controller';
import { ScoreWeightsController } from './http/score-weights.controller';
import { SegmentsController } from './http/segments.controller';
import { ProfileCache } from './infrastructure/profile.cache';
import { ProfileRepository } from './infrastructure/profile.repository';
import { CleanEventsConsumer } from './messaging/clean-events.consumer';
import { ProfileOutboxRelay } from './messaging/profile-outbox.relay';
import { PROFILE_CONFIG, ProfileEnv, toProfileConfig } from './profile.config';
import { ErasureSubscriber } from '@livepromo/service-kit';
import { PruneProcessedService } from './application/prune-processed.service';

/** The profile bounded context: consumers, use cases, REST, Postgres + Redis adapters. */
@Module({
  controllers: [ProfileController, SegmentsController, ScoreWeightsController],
  providers: [
    { provide: PROFILE_CONFIG, useFactory: (env: ProfileEnv) => toProfileConfig(env), inject: [CONFIG] },
    ProfileRepository,
    ProfileCache,
    ProfileNoticesService,
    ApplyCleanEventsUseCase,
    GetProfileUseCase,
    SegmentsUseCase,
    ScoreWeightsUseCase,
    EraseUserUseCase,
    CleanEventsConsumer,
    PruneProcessedService,
    ErasureSubscriber('user-profile.erasure', EraseUserUseCase, (uc, r) => uc.eraseLocally(r.tenantId, r.userId, Date.parse(r.erasedAt))),
    ProfileOutboxRelay,
  ],
  exports: [ApplyCleanEventsUseCase],
})
export class ProfileModule {}
