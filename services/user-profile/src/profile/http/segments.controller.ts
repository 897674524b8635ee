import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { SegmentList, SegmentPage, SegmentsUseCase } from '../application/segments.usecase';
import { asOfMs, asOfQuerySchema, membersQuerySchema, segmentIdParamSchema } from './profile.dto';

@ApiTags('segments')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('segments')
export class SegmentsController {
  constructor(@Inject(SegmentsUseCase) private readonly segments: SegmentsUseCase) {}

  @Get()
  @ApiOperation({
    summary: 'RFM segments and interest cohorts with their sizes',
    description:
      'Evaluated at asOf (default now) from the stored aggregates, so "days since" segments never go stale. R: days since the last ' +
      'paid order ≤7→5, ≤30→4, ≤90→3, ≤180→2, else 1; F: paid orders 1→1, 2→2, 3-4→3, 5-9→4, ≥10→5. Segments: champions R≥4,F≥4; ' +
      'loyal R≥3,F≥3; new R≥4,F=1; promising R≥3,F≤2; at_risk R≤2,F≥3; hibernating R=2,F≤2; lost R=1,F≤2; prospects: no paid order. ' +
      'Interest cohorts: users whose top decayed category affinity is that category.',
  })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiOkResponse({ description: '{ asOf, totalProfiles, segments: [{ id, kind, name, rule, size }], computation }' })
  async list(@TenantId() tenantId: string, @Query(new ZodValidationPipe(asOfQuerySchema, 'query')) q: { asOf?: string }): Promise<SegmentList> {
    return this.segments.list(tenantId, asOfMs(q.asOf));
  }

  @Get(':segmentId/members')
  @ApiOperation({
    summary: 'Members of a segment, paged by user id',
    description: 'segmentId is rfm:<segment> or interest:<category>. Keyset paging: pass nextCursor as cursor. Same rules and asOf as the list.',
  })
  @ApiParam({ name: 'segmentId', example: 'rfm:champions' })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ description: '{ segment, asOf, members: [{ userId, version, paidOrders, lastPaidAt, monetaryMinor, topCategory }], nextCursor }' })
  async members(
    @TenantId() tenantId: string,
    @Param('segmentId', new ZodValidationPipe(segmentIdParamSchema, 'segmentId')) segmentId: string,
    @Query(new ZodValidationPipe(membersQuerySchema, 'query')) q: { asOf?: string; limit: number; cursor?: string },
  ): Promise<SegmentPage> {
    return this.segments.members(tenantId, segmentId, asOfMs(q.asOf), q.cursor, q.limit);
  }
}
