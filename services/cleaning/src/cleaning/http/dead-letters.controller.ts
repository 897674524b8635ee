import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { DeadLettersUseCase, DeadLetterView, ReplayResult } from '../application/dead-letters.usecase';
import { DlqQuery, dlqQuerySchema, idParamSchema, ReplayBody, replayBodySchema } from './cleaning.dto';

@ApiTags('dead letters')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('dlq')
export class DeadLettersController {
  constructor(@Inject(DeadLettersUseCase) private readonly deadLetters: DeadLettersUseCase) {}

  @Get()
  @ApiOperation({
    summary: 'Browse the tenant\'s dead letters',
    description:
      'Newest first; filter by reason and creation window; page with `cursor` = `nextCursor` of the previous page. Replayed letters are hidden unless includeReplayed=true. ' +
      'Each letter carries the reason code, a message, the original bytes (base64, and decoded when JSON) and its Kafka position.',
  })
  list(@TenantId() tenantId: string, @Query(new ZodValidationPipe(dlqQuerySchema, 'query')) q: DlqQuery): Promise<{ items: DeadLetterView[]; count: number; nextCursor: string | null }> {
    return this.deadLetters.list(tenantId, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter with its original', description: '404 when the id does not exist for this tenant.' })
  get(@TenantId() tenantId: string, @Param('id', new ZodValidationPipe(idParamSchema, 'id')) id: string): Promise<DeadLetterView> {
    return this.deadLetters.get(tenantId, id);
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Replay dead letters after a fix',
    description:
      'Re-publishes each original onto ingest.raw.v1 with its eventId; cleaning re-validates it with the current rules and configuration and ' +
      'still deduplicates it (eventId and content fingerprint). Idempotent: a letter is claimed before it is published, so replaying it again (or concurrently) answers it under alreadyReplayed and publishes and counts nothing.',
  })
  @ApiBody({ schema: openApiSchema(replayBodySchema) })
  replay(@TenantId() tenantId: string, @Body(new ZodValidationPipe(replayBodySchema, 'body')) body: ReplayBody): Promise<ReplayResult> {
    return this.deadLetters.replay(tenantId, body.ids);
  }
}
