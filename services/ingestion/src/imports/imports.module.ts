import { Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import express from 'express';
import { CONFIG } from '@livepromo/service-kit';
import { IngestionConfig } from '../ingestion.config';
import { IntakeModule } from '../intake/intake.module';
import { ImportJobUseCase } from './application/import-job.usecase';
import { IMPORT_CONTENT_TYPES, ImportJobsController } from './http/import-jobs.controller';
import { ImportJobRepository } from './infrastructure/import-job.repository';
import { MappingCatalog } from './infrastructure/mapping-catalog';
import { ImportOutcomeConsumer } from './messaging/import-outcome.consumer';

@Module({
  imports: [IntakeModule],
  controllers: [ImportJobsController],
  providers: [ImportJobRepository, ImportJobUseCase, MappingCatalog, ImportOutcomeConsumer],
})
export class ImportsModule implements NestModule {
  constructor(@Inject(CONFIG) private readonly config: IngestionConfig) {}

  /** Uploads arrive as raw bytes (up to IMPORT_MAX_BYTES), parsed record by record by the job. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(express.raw({ type: IMPORT_CONTENT_TYPES, limit: this.config.IMPORT_MAX_BYTES })).forRoutes({ path: 'import-jobs', method: RequestMethod.POST });
  }
}
