import { Module } from '@nestjs/common';
import { ErasureSubscriber } from '@livepromo/service-kit';
import { ContentPlanUseCase } from './application/content-plan.usecase';
import { RecordAudienceUseCase } from './application/record-audience.usecase';
import { ContentPlanController } from './http/content-plan.controller';
import { AudienceRepository } from './infrastructure/audience.repository';
import { AudienceConsumer } from './messaging/audience.consumer';

/** Before the stream: what the audience cares about and asks, turned into a plan. */
@Module({
  controllers: [ContentPlanController],
  providers: [
    AudienceRepository,
    AudienceConsumer,
    RecordAudienceUseCase,
    ContentPlanUseCase,
    ErasureSubscriber('content-optimiser.audience-erasure', RecordAudienceUseCase, (uc, r) => uc.eraseUser(r.tenantId, r.userId)),
  ],
})
export class PlanModule {}
