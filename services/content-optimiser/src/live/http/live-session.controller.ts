import { Body, Controller, Get, HttpCode, Inject, MessageEvent, Param, Post, Query, Req, Sse, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { openApiSchema, TenantAuthGuard, TenantId, TenantKeyDirectory, TenantRequest, ZodValidationPipe } from '@livepromo/service-kit';
import { GetSessionStateUseCase } from '../application/get-session-state.usecase';
import { RecordFeedbackUseCase } from '../application/record-feedback.usecase';
import { LiveStreamHub } from '../application/live-stream.hub';
import { armsQuerySchema, FeedbackBody, feedbackBodySchema, listQuerySchema, sessionIdParam, stateQuerySchema } from './live-session.dto';
import { SseTenantAuthGuard } from './sse-tenant-auth.guard';

/** How often an open event stream re-checks that its API key is still active. */
export const SSE_KEY_RECHECK_MS = 2000;

@ApiTags('live sessions')
@ApiBearerAuth('tenant-key')
@Controller()
export class LiveSessionController {
  constructor(
    @Inject(GetSessionStateUseCase) private readonly state: GetSessionStateUseCase,
    @Inject(RecordFeedbackUseCase) private readonly feedback: RecordFeedbackUseCase,
    @Inject(LiveStreamHub) private readonly hub: LiveStreamHub,
    @Inject(TenantKeyDirectory) private readonly keys: TenantKeyDirectory,
  ) {}

  @Get('live-sessions')
  @UseGuards(TenantAuthGuard)
  @ApiOperation({ summary: "The tenant's live sessions, most recent event time first", description: '`live` = started and not ended; `watermark` = newest event time seen.' })
  @ApiQuery({ name: 'limit', required: false, description: '1-200, default 50' })
  list(@TenantId() tenantId: string, @Query(new ZodValidationPipe(listQuerySchema, 'query')) q: { limit: number }) {
    return this.state.list(tenantId, q.limit);
  }

  @Get('live-sessions/:sessionId')
  @UseGuards(TenantAuthGuard)
  @ApiOperation({
    summary: 'Current state of a live session',
    description:
      'Latest closed window of each length (10 s, 60 s, 300 s) with every metric, its change against the previous window of the same length ' +
      '((cur − prev)/|prev|), its mid-rank percentile among this streamer\'s past sessions and same-category peers (≥ 5 windows), the worst metric, ' +
      'and the latest suggestions with their evidence, feedback and measured outcome. `howComputed` carries every formula and threshold.',
  })
  @ApiQuery({ name: 'history', required: false, description: 'latest windows per length (1-50, default 1)' })
  @ApiOkResponse({ description: 'session state' })
  get(@TenantId() tenantId: string, @Param('sessionId', new ZodValidationPipe(sessionIdParam, 'sessionId')) sessionId: string, @Query(new ZodValidationPipe(stateQuerySchema, 'query')) q: { history: number }) {
    return this.state.execute(tenantId, sessionId, q.history);
  }

  @Sse('live-sessions/:sessionId/stream')
  @UseGuards(SseTenantAuthGuard)
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'key', required: false, description: 'tenant API key, for EventSource clients that cannot send Authorization' })
  @ApiOperation({
    summary: 'Server-sent events: metrics and suggestions of a live session as they are published',
    description:
      'text/event-stream; `event: metrics` carries a live.metrics.computed envelope (window metrics, see GET live-sessions/{id} for formulas), ' +
      '`event: suggestion` a live.suggestion.made envelope (strategy, reason, evidence, expectedUplift = 2·posterior mean − 1, confidence = P(best)). ' +
      'A comment heartbeat keeps proxies open. Authenticate with Authorization: Bearer <key> or, for EventSource, ?key=<key>. ' +
      `The key is re-checked every ${SSE_KEY_RECHECK_MS / 1000} s: once it is revoked the stream sends \`event: revoked\` and closes. ` +
      'Streams what this instance publishes: route a session\'s console to the instance that consumes its partition, or run one instance.',
  })
  stream(@TenantId() tenantId: string, @Param('sessionId', new ZodValidationPipe(sessionIdParam, 'sessionId')) sessionId: string, @Req() req: TenantRequest): Observable<MessageEvent> {
    const keyId = req.apiKeyId;
    return new Observable<MessageEvent>((sub) => {
      sub.next({ type: 'ready', data: { sessionId } });
      // a revoked key stops the stream within SSE_KEY_RECHECK_MS (keys change through tenants.keys.v1)
      const recheck = setInterval(() => {
        if (keyId && !this.keys.isActive(keyId)) {
          sub.next({ type: 'revoked', data: { reason: 'the API key of this stream was revoked' } });
          sub.complete();
        }
      }, SSE_KEY_RECHECK_MS);
      const off = this.hub.subscribe(tenantId, sessionId, (m) => sub.next({ type: m.kind, data: m.data as object }));
      const beat = setInterval(() => sub.next({ type: 'heartbeat', data: { at: new Date().toISOString() } }), 15_000);
      const unregister = this.hub.onShutdown(() => sub.complete());
      return () => {
        clearInterval(recheck);
        clearInterval(beat);
        unregister();
        off();
      };
    });
  }

  @Post('live-sessions/:sessionId/suggestions/:suggestionId/feedback')
  @HttpCode(200)
  @UseGuards(TenantAuthGuard)
  @ApiOperation({
    summary: 'Record operator feedback on a suggestion (accepted / ignored)',
    description:
      'accepted = the strategy was used. Its outcome is measured when the two 1-minute windows after the triggering one have closed: ' +
      'score = mean of relative changes (clipped ±1) of engagementPerViewer and (when both sides had clicks) clickToOrderConversion; ' +
      'reward (1 + score)/2 updates the Beta posterior of tenant × category × trigger × strategy. ignored is recorded and does not update the bandit. ' +
      'The same decision twice is a no-op; a different one answers 409.',
  })
  @ApiBody({ schema: openApiSchema(feedbackBodySchema) })
  record(
    @TenantId() tenantId: string,
    @Param('sessionId', new ZodValidationPipe(sessionIdParam, 'sessionId')) sessionId: string,
    @Param('suggestionId', new ZodValidationPipe(sessionIdParam, 'suggestionId')) suggestionId: string,
    @Body(new ZodValidationPipe(feedbackBodySchema, 'feedback')) body: FeedbackBody,
  ) {
    return this.feedback.execute({ tenantId, sessionId, suggestionId, decision: body.decision });
  }

  @Get('bandit/arms')
  @UseGuards(TenantAuthGuard)
  @ApiOperation({
    summary: 'What the strategy bandit has learned',
    description: 'Beta(α, β) per course category × trigger × strategy for the tenant; posteriorMean = α/(α+β); pulls = measured outcomes. Prior Beta(1,1) for arms not listed.',
  })
  @ApiQuery({ name: 'category', required: false })
  @ApiQuery({ name: 'trigger', required: false })
  arms(@TenantId() tenantId: string, @Query(new ZodValidationPipe(armsQuerySchema, 'query')) q: { category?: string; trigger?: string }) {
    return this.state.arms(tenantId, q.category, q.trigger);
  }
}
