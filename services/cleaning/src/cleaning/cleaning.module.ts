import { Module } from '@nestjs/common';
import { CleanBatchUseCase } from './application/clean-batch.usecase';
import { DeadLettersUseCase } from './application/dead-letters.usecase';
import { ReportsUseCase } from './application/reports.usecase';
import { DeadLettersController } from './http/dead-letters.controller';
import { ReportsController } from './http/reports.controller';
import { CleaningRepository } from './infrastructure/cleaning.repository';
import { CleanTopicProbe } from './infrastructure/clean-topic.probe';
import { DedupStore } from './infrastructure/dedup.store';
import { TestAccountDirectory } from './infrastructure/test-account.directory';
import { ErasedUserDirectory } from './infrastructure/erased-user.directory';
import { DeadLetterArchiveConsumer } from './messaging/dead-letter-archive.consumer';
import { ErasureConsumer } from './messaging/erasure.consumer';
import { RawEventsConsumer } from './messaging/raw-events.consumer';

/** ingest.raw.v1 → events.clean.v1 / events.dlq.v1, with DLQ browsing, replay and statistics. */
@Module({
  controllers: [DeadLettersController, ReportsController],
  providers: [
    CleaningRepository,
    DedupStore,
    CleanTopicProbe,
    TestAccountDirectory,
    ErasedUserDirectory,
    CleanBatchUseCase,
    DeadLettersUseCase,
    ReportsUseCase,
    RawEventsConsumer,
    DeadLetterArchiveConsumer,
    ErasureConsumer,
  ],
  exports: [CleanBatchUseCase],
})
export class CleaningModule {}
