import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { ImportJobRepository } from '../infrastructure/import-job.repository';

/**
 * Consumes `events.quality.v1` for cleaning's `import.outcome.counted`: the cumulative outcome (clean,
 * duplicate, dead-lettered by reason, discarded by reason) of one import job's events, kept in the job row
 * (largest total wins, so order and redelivery do not matter). Ingestion never reads cleaning's tables.
 */
@Injectable()
export class ImportOutcomeConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ImportJobRepository) private readonly repo: ImportJobRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.quality.v1',
      groupId: 'ingestion.import-outcomes',
      handler: async (batch) => {
        // the latest (largest) total per job in this batch
        const latest = new Map<string, { tenantId: string; jobId: string; d: { total: number; clean: number; duplicate: number; deadLettered: Record<string, number>; discarded: Record<string, number>; at: string } }>();
        for (const { value: e } of batch) {
          if (e.type !== 'import.outcome.counted') continue;
          const k = `${e.tenantId}\u0000${e.payload.streamId}`;
          const prev = latest.get(k);
          if (prev && prev.d.total >= e.payload.total) continue;
          const { total, clean, duplicate, deadLettered, discarded } = e.payload;
          latest.set(k, { tenantId: e.tenantId, jobId: e.payload.streamId, d: { total, clean, duplicate, deadLettered, discarded, at: e.occurredAt } });
        }
        for (const u of latest.values()) await this.repo.recordDownstream(u.tenantId, u.jobId, u.d);
      },
    });
  }
}
