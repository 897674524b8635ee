import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { IngestEventsUseCase } from './application/ingest-events.usecase';
import { ReceiveWebhookUseCase } from './application/receive-webhook.usecase';
import { EventsController } from './http/events.controller';
import { WebhooksController } from './http/webhooks.controller';
import { RawEventPublisher } from './infrastructure/raw-event.publisher';
import { TenantRateLimiter } from './infrastructure/tenant-rate-limiter';

@Module({
  imports: [TenantsModule],
  controllers: [EventsController, WebhooksController],
  providers: [RawEventPublisher, TenantRateLimiter, IngestEventsUseCase, ReceiveWebhookUseCase],
  exports: [IngestEventsUseCase],
})
export class IntakeModule {}
