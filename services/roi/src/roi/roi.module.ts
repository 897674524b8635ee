import { Module } from '@nestjs/common';
import { CONFIG } from '@livepromo/service-kit';
import { AbTestUseCase } from './application/ab-test.usecase';
import { ApplyCleanEventsUseCase } from './application/apply-clean-events.usecase';
import { BudgetPlanUseCase } from './application/budget-plan.usecase';
import { EraseUserUseCase } from './application/erase-user.usecase';
import { PurchaseFactorsUseCase } from './application/purchase-factors.usecase';
import { RoiReportUseCase } from './application/roi-report.usecase';
import { RoiController } from './http/roi.controller';
import { AnalyticsRepository } from './infrastructure/analytics.repository';
import { BotTrafficRepository } from './infrastructure/bot-traffic.repository';
import { LedgerRepository } from './infrastructure/ledger.repository';
import { CleanEventsConsumer } from './messaging/clean-events.consumer';
import { QualityConsumer } from './messaging/quality.consumer';
import { ROI_CONFIG, RoiEnv, toRoiConfig } from './roi.config';
import { ErasureSubscriber } from '@livepromo/service-kit';
import { RecordBotTrafficUseCase } from './application/record-bot-traffic.usecase';

/** The ROI bounded context: ledger consumer, bot-traffic consumer, erasure, reports, funnel, factors, budget plan, A/B. */
@Module({
  controllers: [RoiController],
  providers: [
    { provide: ROI_CONFIG, useFactory: (env: RoiEnv) => toRoiConfig(env), inject: [CONFIG] },
    LedgerRepository,
    BotTrafficRepository,
    AnalyticsRepository,
    ApplyCleanEventsUseCase,
    EraseUserUseCase,
    RoiReportUseCase,
    PurchaseFactorsUseCase,
    BudgetPlanUseCase,
    AbTestUseCase,
    CleanEventsConsumer,
    ErasureSubscriber('roi.erasure', EraseUserUseCase, (uc, r) => uc.execute(r.tenantId, r.userId)),
    QualityConsumer,
    RecordBotTrafficUseCase,
  ],
  exports: [ApplyCleanEventsUseCase],
})
export class RoiModule {}
