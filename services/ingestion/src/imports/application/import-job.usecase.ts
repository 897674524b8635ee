import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import { IngestionConfig } from '../../ingestion.config';
import { IngestEventsUseCase, SubmittedItem } from '../../intake/application/ingest-events.usecase';
import { ImportMapping, recordToEvent } from '../domain/import-mapping';
import { parseCsvRecord, RecordReader } from '../domain/record-reader';
import { ImportJobEntity } from '../infrastructure/import-job.entity';
import { ImportJobRepository } from '../infrastructure/import-job.repository';

export interface ImportJobView {
  jobId: string;
  status: 'running' | 'succeeded' | 'failed';
  format: 'csv' | 'jsonl';
  bytes: number;
  counts: { read: number; accepted: number; rejected: number; rejectedByReason: Record<string, number> };
  sampleRejects: { line: number; code: string; message: string }[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** How the counts add up. */
  method: string;
}

const SAMPLE_REJECTS = 50;
const MAX_ATTEMPTS = 8;

function view(j: ImportJobEntity): ImportJobView {
  return {
    jobId: j.jobId,
    status: j.status,
    format: j.format,
    bytes: j.bytes,
    counts: { read: j.rowsRead, accepted: j.accepted, rejected: j.rejected, rejectedByReason: { ...j.rejectedByReason } },
    sampleRejects: [...j.sampleRejects],
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
    method:
      'read = data records in the upload (CSV header excluded, blank lines skipped); read = accepted + rejected once the job has finished; ' +
      'rejected counts mapping failures (unmapped_value, format_violation, malformed_json) and envelope rejections by code; accepted events are in ingest.raw.v1 (acks=all) with ids imp-sha256(tenant, line, record) so a resubmitted file is deduplicated downstream.',
  };
}

/**
 * HTTP import jobs: the upload is parsed record by record, mapped, and sent through the same intake
 * path as POST /v1/events/batch in chunks of IMPORT_BATCH_EVENTS, waiting out 429/503 with backoff.
 * Counts are written to Postgres after each chunk. A job interrupted by a restart stays `running`
 * and should be resubmitted: ids are deterministic, so nothing is duplicated downstream.
 */
@Injectable()
export class ImportJobUseCase {
  constructor(
    @Inject(ImportJobRepository) private readonly repo: ImportJobRepository,
    @Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase,
    @Inject(CONFIG) private readonly config: IngestionConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async start(tenantId: string, upload: { body: Buffer; format: 'csv' | 'jsonl'; mapping: ImportMapping | null }): Promise<ImportJobView> {
    if (upload.body.length === 0) throw new DomainError(ErrorCode.ValidationFailed, 'the upload is empty');
    if (upload.format === 'csv' && !upload.mapping) throw new DomainError(ErrorCode.ValidationFailed, 'a CSV import needs a mapping (?mapping=<name> or X-Livepromo-Mapping)');
    const now = new Date();
    const job = Object.assign(new ImportJobEntity(), {
      jobId: `job_${randomBytes(9).toString('base64url')}`,
      tenantId,
      status: 'running' as const,
      format: upload.format,
      bytes: upload.body.length,
      rowsRead: 0,
      accepted: 0,
      rejected: 0,
      rejectedByReason: {},
      sampleRejects: [],
      error: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    });
    await this.repo.insert(job);
    const started = view(job);
    void this.run(job, upload).catch((e: unknown) => this.log.error('import job crashed', { tenantId, jobId: job.jobId, error: String(e) }));
    return started;
  }

  async get(tenantId: string, jobId: string): Promise<ImportJobView> {
    const j = await this.repo.find(tenantId, jobId);
    if (!j) throw new DomainError(ErrorCode.NotFound, `import job ${jobId} not found`);
    return view(j);
  }

  private async run(job: ImportJobEntity, upload: { body: Buffer; format: 'csv' | 'jsonl'; mapping: ImportMapping | null }): Promise<void> {
    const delimiter = upload.mapping?.delimiter ?? ',';
    const reader = new RecordReader(upload.format === 'csv');
    const records = [...reader.push(upload.body), ...reader.end()].filter((r) => r.text.trim() !== '');
    let header: string[] | null = null;
    if (upload.format === 'csv') header = records.length ? parseCsvRecord(records.shift()!.text, delimiter) : [];
    const reject = (line: number, code: string, message: string) => {
      job.rejected++;
      job.rejectedByReason[code] = (job.rejectedByReason[code] ?? 0) + 1;
      if (job.sampleRejects.length < SAMPLE_REJECTS) job.sampleRejects.push({ line, code, message });
    };
    try {
      for (let i = 0; i < records.length; i += this.config.IMPORT_BATCH_EVENTS) {
        const chunk = records.slice(i, i + this.config.IMPORT_BATCH_EVENTS);
        const items: SubmittedItem[] = [];
        const lines: number[] = [];
        for (const rec of chunk) {
          job.rowsRead++;
          const m = recordToEvent(rec, { tenantId: job.tenantId, format: upload.format, mapping: upload.mapping, header, delimiter });
          if (m.ok) {
            items.push({ value: m.event });
            lines.push(rec.line);
          } else reject(rec.line, m.code, m.message);
        }
        if (items.length) {
          const r = await this.submit(job.tenantId, items);
          for (const res of r.results) {
            if (res.status === 'accepted') job.accepted++;
            else reject(lines[res.index], res.code, res.message);
          }
        }
        await this.repo.update(job.tenantId, job.jobId, {
          rowsRead: job.rowsRead,
          accepted: job.accepted,
          rejected: job.rejected,
          rejectedByReason: job.rejectedByReason,
          sampleRejects: job.sampleRejects,
        });
      }
      await this.repo.update(job.tenantId, job.jobId, { status: 'succeeded', finishedAt: new Date() });
    } catch (e) {
      await this.repo.update(job.tenantId, job.jobId, {
        status: 'failed',
        error: e instanceof Error ? e.message : String(e),
        finishedAt: new Date(),
        rowsRead: job.rowsRead,
        accepted: job.accepted,
        rejected: job.rejected,
        rejectedByReason: job.rejectedByReason,
        sampleRejects: job.sampleRejects,
      });
    }
  }

  /** One chunk through the intake path; waits out rate limiting and Kafka outages (bounded). */
  private async submit(tenantId: string, items: SubmittedItem[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ingest.ingest({ tenantId, items, defaultSource: 'generic', channel: 'import' });
      } catch (e) {
        const retryable = e instanceof DomainError && (e.code === ErrorCode.RateLimited || e.code === ErrorCode.Unavailable);
        if (!retryable || attempt >= MAX_ATTEMPTS) throw e;
        const waitSec = Number(e.headers?.['Retry-After'] ?? 1);
        await new Promise((r) => setTimeout(r, Math.min(30_000, waitSec * 1000)));
      }
    }
  }
}
