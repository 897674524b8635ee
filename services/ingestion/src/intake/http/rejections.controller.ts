import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { IntakeRejectionStats } from '../infrastructure/intake-rejection.stats';

const instant = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO-8601 instant');
const querySchema = z.object({ from: instant.optional(), to: instant.optional() }).strict();

@ApiTags('events')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('ingestion')
export class RejectionsController {
  constructor(@Inject(IntakeRejectionStats) private readonly stats: IntakeRejectionStats) {}

  @Get('rejections')
  @ApiOperation({
    summary: 'Items ingestion refused to their sender, by reason',
    description:
      'Per-item rejections of batches, single events, webhooks and imports (schema_violation, tenant_mismatch, malformed_json, json_too_deep, ' +
      'invalid_text, unknown_platform_event, ...) in the hours overlapping [from, to) (default last 24 h; kept 8 days). These never reached ' +
      'Kafka; what cleaning refused later is at GET /v1/rejections/stats. Whole requests refused (401, 413, 415, 429) are not items and are not counted.',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({ description: '{ from, to, total, byReason: [{ reason, count }], computedAs }' })
  async get(@TenantId() tenantId: string, @Query(new ZodValidationPipe(querySchema, 'query')) q: z.infer<typeof querySchema>) {
    const toMs = q.to ? Date.parse(q.to) : Date.now();
    const fromMs = q.from ? Date.parse(q.from) : toMs - 24 * 3_600_000;
    const byReason = await this.stats.query(tenantId, fromMs, toMs);
    return {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      total: byReason.reduce((a, r) => a + r.count, 0),
      byReason,
      computedAs: 'sum of hourly per-reason counters (Redis) for the hours overlapping [from, to)',
    };
  }
}
