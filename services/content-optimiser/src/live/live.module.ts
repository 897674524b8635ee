import { Module } from '@nestjs/common';
import { BaselineProvider } from './application/baseline.provider';
import { GetSessionStateUseCase } from './application/get-session-state.usecase';
import { LiveStreamHub } from './application/live-stream.hub';
import { OutboxPublisher } from './application/outbox.publisher';
import { ProcessLiveEventsUseCase } from './application/process-live-events.usecase';
import { RecordFeedbackUseCase } from './application/record-feedback.usecase';
import { LiveSessionController } from './http/live-session.controller';
import { SseTenantAuthGuard } from './http/sse-tenant-auth.guard';
import { LiveStateRepository } from './infrastructure/live-state.repository';
import { LiveEventsConsumer } from './messaging/live-events.consumer';
import { ErasureSubscriber } from '@livepromo/service-kit';
import { EraseLiveUserUseCase } from './application/erase-live-user.usecase';

/** Live content optimisation: windows, detectors, bandit suggestions, delivery. */
@Module({
  controllers: [LiveSessionController],
  providers: [
    LiveStateRepository,
    BaselineProvider,
    OutboxPublisher,
    LiveStreamHub,
    ProcessLiveEventsUseCase,
    RecordFeedbackUseCase,
    GetSessionStateUseCase,
    LiveEventsConsumer,
    EraseLiveUserUseCase,
    ErasureSubscriber('content-optimiser.erasure', EraseLiveUserUseCase, (uc, r) => uc.execute(r.tenantId, r.userId)),
    SseTenantAuthGuard,
  ],
})
export class LiveModule {}
