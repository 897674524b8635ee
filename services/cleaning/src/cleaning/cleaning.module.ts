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
import { RawEventsConsumer } from './messaging/raw-events.consumer';
import { ErasureSubscriber } from '@livepromo/service-kit';

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
    // privacy.erasure.v1 → the erasure tombstone (late events of the user are discarded as `erased_user`) and the user's rows deleted
    ErasureSubscriber('cleaning.erasure', ReportsUseCase, (uc, r) => uc.eraseUser(r.tenantId, r.userId, r.erasedAt)),
  ],
  exports: [CleanBatchUseCase],
})
export class CleaningModule {}
