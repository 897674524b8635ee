import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { IngestEventsUseCase } from './application/ingest-events.usecase';
import { ReceiveWebhookUseCase } from './application/receive-webhook.usecase';
import { EventsController } from './http/events.controller';
import { WebhooksController } from './http/webhooks.controller';
import { RejectionsController } from './http/rejections.controller';
import { IntakeRejectionStats } from './infrastructure/intake-rejection.stats';
import { RawEventPublisher } from './infrastructure/raw-event.publisher';
import { TenantRateLimiter } from './infrastructure/tenant-rate-limiter';

@Module({
  imports: [TenantsModule],
  controllers: [EventsController, WebhooksController, RejectionsController],
  providers: [RawEventPublisher, TenantRateLimiter, IngestEventsUseCase, ReceiveWebhookUseCase, IntakeRejectionStats],
  exports: [IngestEventsUseCase],
})
export class IntakeModule {}
