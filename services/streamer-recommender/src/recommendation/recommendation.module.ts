import { Module } from '@nestjs/common';
import { IngestEventsUseCase } from './application/ingest-events.usecase';
import { ModelRegistry } from './application/model-registry.service';
import { RecommendUseCase } from './application/recommend.usecase';
import { ModelsController } from './http/models.controller';
import { RecommendationsController } from './http/recommendations.controller';
import { RecommenderRepository } from './infrastructure/recommender.repository';
import { CleanEventsConsumer } from './messaging/clean-events.consumer';
import { ErasureSubscriber } from '@livepromo/service-kit';

/** events.clean.v1 → streamer features and implicit feedback → models → recommendations (REST) and recommendations.updated.v1. */
@Module({
  controllers: [RecommendationsController, ModelsController],
  providers: [
    RecommenderRepository,
    IngestEventsUseCase,
    ModelRegistry,
    RecommendUseCase,
    CleanEventsConsumer,
    ErasureSubscriber('streamer-recommender.erasure', IngestEventsUseCase, (uc, r) => uc.eraseUser(r.tenantId, r.userId)),
  ],
  exports: [ModelRegistry, IngestEventsUseCase],
})
export class RecommendationModule {}
