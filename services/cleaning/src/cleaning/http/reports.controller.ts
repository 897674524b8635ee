import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { BotTraffic, RejectionStats, ReportsUseCase } from '../application/reports.usecase';
import { idParamSchema, StatsQuery, statsQuerySchema, TestAccountsBody, testAccountsBodySchema } from './cleaning.dto';

@ApiTags('cleaning')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller()
export class ReportsController {
  constructor(@Inject(ReportsUseCase) private readonly reports: ReportsUseCase) {}

  @Get('rejections/stats')
  @ApiOperation({
    summary: 'Rejection statistics by reason over a time window',
    description:
      'Counts of this tenant\'s raw events that did not reach events.clean.v1, by reason, processed in [from, to) (default last 24 h): ' +
      'dead_lettered (schema_violation, unknown_type, size_violation, format_violation, impossible_value, too_late, future_timestamp, ' +
      'unknown_source, unknown_currency, ...) and discarded (duplicate_event_id, duplicate_fingerprint, test_account, bot_traffic, erased_user). One count per consumed message.',
  })
  stats(@TenantId() tenantId: string, @Query(new ZodValidationPipe(statsQuerySchema, 'query')) q: StatsQuery): Promise<RejectionStats> {
    return this.reports.rejectionStats(tenantId, q.from, q.to);
  }

  @Get('sessions/:id/bot-traffic')
  @ApiOperation({
    summary: 'Bot traffic discounted from a live session',
    description:
      'Number of this session\'s events kept out of clean data as bot traffic, by signal (link_spam, rate, repeated_comment, like_flood) and distinct users. ' +
      'Signals use sliding windows in event time; thresholds are the BOT_* settings.',
  })
  botTraffic(@TenantId() tenantId: string, @Param('id', new ZodValidationPipe(idParamSchema, 'id')) id: string): Promise<BotTraffic> {
    return this.reports.botTraffic(tenantId, id);
  }

  @Get('test-accounts')
  @ApiOperation({ summary: 'Test accounts of the tenant', description: 'Managed (REST) and environment (TEST_ACCOUNTS) lists; their events are counted as test_account, never published.' })
  listTestAccounts(@TenantId() tenantId: string) {
    return this.reports.listTestAccounts(tenantId);
  }

  @Put('test-accounts')
  @ApiOperation({ summary: 'Add test accounts', description: 'Idempotent; takes effect at once on this instance and within TEST_ACCOUNTS_REFRESH_MS on the others.' })
  @ApiBody({ schema: openApiSchema(testAccountsBodySchema) })
  addTestAccounts(@TenantId() tenantId: string, @Body(new ZodValidationPipe(testAccountsBodySchema, 'body')) body: TestAccountsBody) {
    return this.reports.addTestAccounts(tenantId, body.userIds);
  }

  @Delete('test-accounts/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a managed test account', description: '404 when it is not a managed test account of this tenant.' })
  async removeTestAccount(@TenantId() tenantId: string, @Param('userId', new ZodValidationPipe(idParamSchema, 'userId')) userId: string): Promise<void> {
    await this.reports.removeTestAccount(tenantId, userId);
  }
}
