import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import { IngestionConfig } from '../../ingestion.config';
import { IngestEventsUseCase, SubmittedItem } from '../../intake/application/ingest-events.usecase';
import { checkCsvHeader, firstLine } from '../domain/csv-header';
import { ImportMapping, recordToEvent } from '../domain/import-mapping';
import { FileRecord, parseCsvRecord, RecordReader, unbalancedQuoteMessage } from '../domain/record-reader';
import { ImportJobEntity } from '../infrastructure/import-job.entity';
import { ImportJobRepository } from '../infrastructure/import-job.repository';

export interface ImportJobView {
  jobId: string;
  status: 'running' | 'succeeded' | 'failed';
  format: 'csv' | 'jsonl';
  bytes: number;
  counts: { read: number; accepted: number; rejected: number; rejectedByReason: Record<string, number> };
  /** Sending progress: rows known once the upload is split; percent of rows read; rate since sending began; ETA at that rate. */
  progress: { totalRows: number | null; percentDone: number | null; rowsPerSec: number | null; etaSec: number | null };
  /**
   * What the pipeline (cleaning) made of the accepted events, as cleaning last announced it:
   * processed = clean + duplicate + Σ deadLettered + Σ discarded; awaiting = accepted − processed.
   */
  pipeline: {
    state: 'waiting' | 'in_progress' | 'complete';
    processed: number;
    awaiting: number;
    clean: number;
    duplicate: number;
    deadLettered: Record<string, number>;
    discarded: Record<string, number>;
    asOf: string | null;
  };
  sampleRejects: { line: number; code: string; message: string }[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** How the counts add up. */
  method: string;
}

const SAMPLE_REJECTS = 50;
const MAX_ATTEMPTS = 8;
/** Bytes split between two yields to the event loop, and records mapped between two yields. */
const SPLIT_SLICE_BYTES = 16 * 1024;
const MAP_SLICE_RECORDS = 25;
/**
 * Events per call of the intake path. Normalisation and validation run synchronously per call, so slices are
 * small and sent one after the other (concurrent calls would resume back to back in one microtask run when
 * their Redis answers arrive together, which is one long stall again).
 */
const SUBMIT_SLICE_EVENTS = 50;

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export function view(j: ImportJobEntity, now = new Date()): ImportJobView {
  const total = j.totalRows;
  const elapsedSec = j.startedAt ? ((j.finishedAt ?? now).getTime() - j.startedAt.getTime()) / 1000 : 0;
  const rate = j.startedAt && elapsedSec > 0 ? j.rowsRead / elapsedSec : null;
  const d = j.downstream;
  const processed = d ? d.total : 0;
  const done = j.status !== 'running';
  return {
    jobId: j.jobId,
    status: j.status,
    format: j.format,
    bytes: j.bytes,
    counts: { read: j.rowsRead, accepted: j.accepted, rejected: j.rejected, rejectedByReason: { ...j.rejectedByReason } },
    progress: {
      totalRows: total,
      percentDone: total === null ? null : total === 0 ? 100 : Math.round((1000 * j.rowsRead) / total) / 10,
      rowsPerSec: rate === null ? null : Math.round(rate),
      etaSec: total === null || rate === null || rate === 0 ? null : done ? 0 : Math.ceil((total - j.rowsRead) / rate),
    },
    pipeline: {
      state: done && processed >= j.accepted ? 'complete' : processed > 0 ? 'in_progress' : 'waiting',
      processed,
      awaiting: Math.max(0, j.accepted - processed),
      clean: d?.clean ?? 0,
      duplicate: d?.duplicate ?? 0,
      deadLettered: { ...(d?.deadLettered ?? {}) },
      discarded: { ...(d?.discarded ?? {}) },
      asOf: d?.at ?? null,
    },
    sampleRejects: [...j.sampleRejects],
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
    method:
      'read = data records in the upload (CSV header excluded, blank lines skipped); read = accepted + rejected once the job has finished; ' +
      'rejected counts mapping failures (unmapped_value, format_violation, malformed_json, unbalanced_quote) and envelope rejections by code; accepted events are in ingest.raw.v1 (acks=all) as backfill (ingest.mode=backfill, streamId = this job id) with ids imp-sha256(tenant, line, record) so a resubmitted file is deduplicated downstream. ' +
      'pipeline = cleaning\'s cumulative outcome of this job\'s events (import.outcome.counted on events.quality.v1): accepted = clean + duplicate + Σ deadLettered + Σ discarded + awaiting; state complete when awaiting = 0 after the job finished. ' +
      'progress: percentDone = read / totalRows; rowsPerSec = read / seconds since sending began; etaSec = (totalRows − read) / rowsPerSec.',
  };
}

/** Splits the upload into records, yielding to the event loop every SPLIT_SLICE_BYTES (linear; no request stalls the loop). */
async function splitRecords(body: Buffer, csv: boolean): Promise<FileRecord[]> {
  const reader = new RecordReader(csv);
  const out: FileRecord[] = [];
  for (let from = 0; from < body.length; from += SPLIT_SLICE_BYTES) {
    for (const r of reader.push(body.subarray(from, from + SPLIT_SLICE_BYTES))) if (r.text.trim() !== '') out.push(r);
    await yieldToLoop();
  }
  for (const r of reader.end()) if (r.text.trim() !== '') out.push(r);
  return out;
}

/**
 * HTTP import jobs: a CSV upload's header is checked against the mapping before the job exists (400/422 with
 * the missing columns); then the upload is split record by record (linear, yielding to the event loop), mapped,
 * and sent through the same intake path as POST /v1/events/batch, as a backfill stream named by the job id,
 * in chunks of IMPORT_BATCH_EVENTS, waiting out 429/503 with backoff. Counts are written to Postgres after each
 * chunk; cleaning's outcomes arrive later (ImportOutcomeConsumer). A job interrupted by a restart stays
 * `running` and should be resubmitted: ids are deterministic, so nothing is duplicated downstream.
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
    if (upload.format === 'csv' && upload.mapping) {
      const line = firstLine(upload.body);
      if (line === null) throw new DomainError(ErrorCode.ValidationFailed, 'the upload holds no data');
      const problem = checkCsvHeader(line, upload.mapping, upload.mapping.delimiter ?? ',');
      if (problem) {
        throw new DomainError(problem.code, problem.message, { status: 422, details: { reason: problem.code, missing: problem.missing, found: problem.found } });
      }
    }
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
      totalRows: null,
      startedAt: null,
      downstream: null,
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
    const reject = (line: number, code: string, message: string) => {
      job.rejected++;
      job.rejectedByReason[code] = (job.rejectedByReason[code] ?? 0) + 1;
      if (job.sampleRejects.length < SAMPLE_REJECTS) job.sampleRejects.push({ line, code, message });
    };
    const counts = () => ({
      rowsRead: job.rowsRead,
      accepted: job.accepted,
      rejected: job.rejected,
      rejectedByReason: job.rejectedByReason,
      sampleRejects: job.sampleRejects,
    });
    try {
      const records = await splitRecords(upload.body, upload.format === 'csv');
      let header: string[] | null = null;
      if (upload.format === 'csv') header = upload.mapping?.columns ?? (records.length ? parseCsvRecord(records.shift()!.text, delimiter) : []);
      job.totalRows = records.length;
      job.startedAt = new Date();
      await this.repo.update(job.tenantId, job.jobId, { totalRows: job.totalRows, startedAt: job.startedAt });
      const stream = { mode: 'backfill' as const, streamId: job.jobId };
      for (let i = 0; i < records.length; i += this.config.IMPORT_BATCH_EVENTS) {
        const chunk = records.slice(i, i + this.config.IMPORT_BATCH_EVENTS);
        const items: SubmittedItem[] = [];
        const lines: number[] = [];
        for (let k = 0; k < chunk.length; k++) {
          if (k > 0 && k % MAP_SLICE_RECORDS === 0) await yieldToLoop();
          const rec = chunk[k];
          job.rowsRead++;
          if (rec.error) {
            reject(rec.line, rec.error, unbalancedQuoteMessage(rec.line));
            continue;
          }
          const m = recordToEvent(rec, { tenantId: job.tenantId, format: upload.format, mapping: upload.mapping, header, delimiter });
          if (m.ok) {
            items.push({ value: m.event });
            lines.push(rec.line);
          } else reject(rec.line, m.code, m.message);
        }
        // in small slices, one after the other, yielding between them: no request waits behind a long synchronous stretch
        for (let k = 0; k < items.length; k += SUBMIT_SLICE_EVENTS) {
          await yieldToLoop();
          const r = await this.submit(job.tenantId, items.slice(k, k + SUBMIT_SLICE_EVENTS), stream);
          for (const res of r.results) {
            if (res.status === 'accepted') job.accepted++;
            else reject(lines[k + res.index], res.code, res.message);
          }
        }
        await this.repo.update(job.tenantId, job.jobId, counts());
      }
      await this.repo.update(job.tenantId, job.jobId, { status: 'succeeded', finishedAt: new Date() });
    } catch (e) {
      await this.repo.update(job.tenantId, job.jobId, { status: 'failed', error: e instanceof Error ? e.message : String(e), finishedAt: new Date(), ...counts() });
    }
  }

  /** One chunk through the intake path; waits out rate limiting and Kafka outages (bounded). */
  private async submit(tenantId: string, items: SubmittedItem[], ingest: { mode: 'backfill'; streamId: string }) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ingest.ingest({ tenantId, items, defaultSource: 'generic', channel: 'import', ingest });
      } catch (e) {
        const retryable = e instanceof DomainError && (e.code === (ErrorCode.RateLimited as string) || e.code === (ErrorCode.Unavailable as string));
        if (!retryable || attempt >= MAX_ATTEMPTS) throw e;
        const waitSec = Number(e.headers?.['Retry-After'] ?? 1);
        await new Promise((r) => setTimeout(r, Math.min(30_000, waitSec * 1000)));
      }
    }
  }
}
