import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError, ErrorCode, TenantAuthGuard, TenantId } from '@livepromo/service-kit';
import { ImportJobUseCase, ImportJobView } from '../application/import-job.usecase';
import { ImportMapping } from '../domain/import-mapping';
import { MappingCatalog, parseMapping } from '../infrastructure/mapping-catalog';

export const IMPORT_CONTENT_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/ndjson', 'text/plain', 'application/octet-stream'];

@ApiTags('import jobs')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('import-jobs')
export class ImportJobsController {
  constructor(
    @Inject(ImportJobUseCase) private readonly jobs: ImportJobUseCase,
    @Inject(MappingCatalog) private readonly catalog: MappingCatalog,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes(...IMPORT_CONTENT_TYPES)
  @ApiOperation({
    summary: 'Start an import job from an uploaded CSV or JSONL file',
    description:
      'The body is the file itself (up to IMPORT_MAX_BYTES, 32 MiB). The mapping is a named one (`?mapping=rees46`, from services/ingestion/mappings) or a JSON mapping document in the `X-Livepromo-Mapping` header (see the README for its format); JSONL without mapping is taken as canonical envelopes. ' +
      'Format from `?format=`, else the content type (text/csv → csv, NDJSON/JSONL → jsonl), else the mapping. A CSV header is checked against the columns the mapping reads before anything is sent: 422 `no_header_row`, `wrong_delimiter` (tab-, semicolon- or pipe-separated) or `missing_columns`, with `details.missing` and `details.found`. ' +
      'Imported events are backfill (`ingest.mode = backfill`, `streamId` = the job id): no live lateness window in cleaning, event time downstream, no live suggestions. Answers 202 with the job id at once; poll GET /v1/import-jobs/{id}.',
  })
  @ApiQuery({ name: 'mapping', required: false, description: 'name of a shipped mapping, e.g. rees46' })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'jsonl'] })
  @ApiHeader({ name: 'X-Livepromo-Mapping', required: false, description: 'mapping document as JSON' })
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiAcceptedResponse({ description: 'job created' })
  async start(
    @TenantId() tenantId: string,
    @Req() req: Request,
    @Query('mapping') mappingName: string | undefined,
    @Query('format') formatParam: string | undefined,
    @Headers('x-livepromo-mapping') mappingHeader: string | undefined,
  ): Promise<ImportJobView> {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!IMPORT_CONTENT_TYPES.includes(type)) {
      throw new DomainError(ErrorCode.UnsupportedMediaType, `Content-Type ${JSON.stringify(type)} is not accepted; send the file as ${IMPORT_CONTENT_TYPES.join(', ')}`);
    }
    let mapping: ImportMapping | null = null;
    if (mappingName) mapping = this.catalog.load(mappingName);
    else if (mappingHeader) {
      let json: unknown;
      try {
        json = JSON.parse(mappingHeader);
      } catch {
        throw new DomainError(ErrorCode.MalformedJson, 'X-Livepromo-Mapping is not valid JSON');
      }
      mapping = parseMapping(json, 'X-Livepromo-Mapping');
    }
    const format =
      formatParam === 'csv' || formatParam === 'jsonl'
        ? formatParam
        : type === 'text/csv'
          ? 'csv'
          : type.includes('json')
            ? 'jsonl'
            : mapping?.format;
    if (!format) throw new DomainError(ErrorCode.ValidationFailed, 'cannot tell the format: pass ?format=csv|jsonl');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return this.jobs.start(tenantId, { body, format, mapping });
  }

  @Get(':jobId')
  @ApiOperation({
    summary: 'Status, counts, progress and pipeline outcome of an import job',
    description:
      'counts.read = accepted + rejected once finished; rejectedByReason by machine-readable code; the first 50 rejects with their line. progress: totalRows, percentDone, rowsPerSec, etaSec. ' +
      "pipeline: cleaning's cumulative outcome of the job's events (import.outcome.counted): accepted = clean + duplicate + Σ deadLettered + Σ discarded + awaiting; state complete when nothing awaits after the job finished. `method` says how each figure is computed.",
  })
  get(@TenantId() tenantId: string, @Param('jobId') jobId: string): Promise<ImportJobView> {
    return this.jobs.get(tenantId, jobId);
  }
}
