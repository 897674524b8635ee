import { Body, Controller, HttpCode, Inject, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { idSchema, RejectionCode } from '@livepromo/contracts';
import { DomainError, ErrorCode, openApiSchema, TenantAuthGuard, TenantId } from '@livepromo/service-kit';
import { IngestEventsUseCase, SubmittedItem } from '../application/ingest-events.usecase';
import { BatchResult } from '../domain/intake-result';
import { parseNdjson } from '../domain/ndjson';
import { batchResultSchema, EXAMPLE_EVENT, submittedEventSchema } from './intake.dto';

const NDJSON = ['application/x-ndjson', 'application/jsonl', 'application/ndjson'];

/**
 * `?mode=backfill[&stream=<id>]` on the batch route: the events are history (cleaning applies no live lateness
 * window; consumers work in event time, no live suggestions). `stream` names the backfill stream whose outcomes
 * cleaning counts (`import.outcome.counted`). Absent or `live` = live traffic.
 */
export function ingestModeOf(mode: string | undefined, stream: string | undefined): { mode: 'live' | 'backfill'; streamId?: string } | undefined {
  if (mode === undefined || mode === '' || mode === 'live') {
    if (stream) throw new DomainError(ErrorCode.ValidationFailed, 'stream is only meaningful with mode=backfill');
    return undefined;
  }
  if (mode !== 'backfill') throw new DomainError(ErrorCode.ValidationFailed, `mode must be live or backfill, got ${JSON.stringify(mode)}`);
  if (stream !== undefined && !idSchema.safeParse(stream).success) {
    throw new DomainError(ErrorCode.ValidationFailed, 'stream must be 1-128 chars of letters, digits and . : @ - / + = _');
  }
  return stream ? { mode: 'backfill', streamId: stream } : { mode: 'backfill' };
}

/** 400 when nothing in the batch was acceptable (the per-item reasons are in details.results). */
export function allRejected(result: BatchResult): BatchResult {
  if (result.accepted === 0) {
    throw new DomainError(ErrorCode.ValidationFailed, `none of the ${result.rejected} event(s) was acceptable`, { details: result });
  }
  return result;
}

@ApiTags('events')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('events')
export class EventsController {
  constructor(@Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Submit one event',
    description:
      'Validates the envelope, fills `receivedAt`, `source` (generic), `schemaVersion` and a deterministic `eventId` when missing (sha256 of tenant, type, source, occurredAt, entity ids and canonical payload JSON), and answers 202 only after Kafka acknowledged the write to ingest.raw.v1 (acks=all). The tenant comes from the API key; a body naming another tenant is rejected (400, reason tenant_mismatch). 503 `unavailable` with Retry-After when Kafka does not acknowledge within PUBLISH_TIMEOUT_MS.',
  })
  @ApiBody({ schema: openApiSchema(submittedEventSchema), examples: { orderPaid: { value: EXAMPLE_EVENT } } })
  @ApiAcceptedResponse({ description: 'written to Kafka', schema: { example: { accepted: true, eventId: 'd-3q0c...' } } })
  async one(@TenantId() tenantId: string, @Req() req: Request, @Body() body: unknown): Promise<{ accepted: true; eventId: string }> {
    if (mediaType(req) !== 'application/json') throw unsupported(req, 'application/json');
    if (body === undefined) throw new DomainError(ErrorCode.ValidationFailed, 'request body is empty');
    if (Array.isArray(body)) throw new DomainError(ErrorCode.ValidationFailed, 'one event expected; send arrays to POST /v1/events/batch');
    const r = await this.ingest.ingest({ tenantId, items: [{ value: body }], defaultSource: 'generic', channel: 'http' });
    const item = r.results[0];
    if (item.status === 'rejected') {
      throw new DomainError(ErrorCode.ValidationFailed, item.message, { details: { reason: item.code, issues: item.issues } });
    }
    return { accepted: true, eventId: item.eventId };
  }

  @Post('batch')
  @HttpCode(202)
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiOperation({
    summary: 'Submit a batch of events (JSON array or NDJSON)',
    description:
      'Up to MAX_BATCH_EVENTS (1,000) events and HTTP_BODY_LIMIT_BYTES (1 MiB), as a JSON array (`application/json`) or one event per line (`application/x-ndjson`). Each item is validated on its own: the answer lists, in order, `accepted` (with its eventId) or `rejected` with a machine-readable code. Accepted items are written to Kafka in one acks=all publish before the 202; a bad item never blocks the good ones. A malformed JSON array is 400 malformed_json; a malformed NDJSON line rejects only that line. 400 validation_failed if no item was acceptable, 413 over the limits, 415 for another content type, 429 over the tenant rate, 503 if Kafka did not acknowledge (nothing is reported accepted).',
  })
  @ApiBody({ schema: { type: 'array', items: openApiSchema(submittedEventSchema), maxItems: 1000 }, examples: { two: { value: [EXAMPLE_EVENT, { ...EXAMPLE_EVENT, type: 'live.like', payload: { count: 3 } }] } } })
  @ApiAcceptedResponse({ description: 'per-item results; accepted items are in Kafka', schema: openApiSchema(batchResultSchema) })
  @ApiQuery({
    name: 'mode',
    required: false,
    enum: ['live', 'backfill'],
    description:
      'backfill = historical events (an export, a migration): cleaning applies no live lateness window (ALLOWED_LATENESS_MS) to them and consumers treat them in event time (profiles decay from event time, past sessions feed baselines, never live suggestions). Default live.',
  })
  @ApiQuery({ name: 'stream', required: false, description: 'with mode=backfill: a stream id (e.g. your import run) under which cleaning counts the outcomes of these events (import.outcome.counted on events.quality.v1)' })
  async batch(
    @TenantId() tenantId: string,
    @Req() req: Request,
    @Body() body: unknown,
    @Query('mode') mode?: string,
    @Query('stream') stream?: string,
  ): Promise<BatchResult> {
    const ingest = ingestModeOf(mode, stream);
    let items: SubmittedItem[];
    const type = mediaType(req);
    if (NDJSON.includes(type)) {
      if (typeof body !== 'string') throw new DomainError(ErrorCode.ValidationFailed, 'request body is empty');
      items = parseNdjson(body).map((l) =>
        l.ok ? { value: l.value } : { outcome: { ok: false as const, code: l.code ?? RejectionCode.MalformedJson, message: l.message } },
      );
    } else if (type === 'application/json') {
      if (!Array.isArray(body)) throw new DomainError(ErrorCode.ValidationFailed, 'a JSON array of events is expected (or NDJSON with Content-Type application/x-ndjson)');
      items = body.map((value: unknown) => ({ value }));
    } else {
      throw unsupported(req, 'application/json or application/x-ndjson');
    }
    const approxBytes = Number(req.headers['content-length']) || undefined;
    return allRejected(await this.ingest.ingest({ tenantId, items, defaultSource: 'generic', channel: 'http', approxBytes, ingest }));
  }
}

/** The media type of the request (lower-case, without parameters), whether or not a body came. */
export function mediaType(req: Request): string {
  return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export function unsupported(req: Request, expected: string): DomainError {
  return new DomainError(ErrorCode.UnsupportedMediaType, `Content-Type ${JSON.stringify(req.headers['content-type'] ?? null)} is not accepted here; send ${expected}`);
}
