import { Body, Controller, Get, Inject, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { idSchema } from '@livepromo/contracts';
import { openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { ContentScoreAnswer, ContentScoreUseCase, ContentScoreWeightsResult } from '../application/content-score.usecase';
import { ContentScoreWeightsBody, contentScoreWeightsBodySchema } from './content-score.dto';

const FORMULA =
  'L = Σ_k θ_k·L_k + φ·I; L = { contentQuestions, praise, negative (shares of classified comments), couponClaims, lotteryJoins (ln(1 + per 100 room entries)), acceptedSuggestions (ln(1 + count)) }, I = ln(1 + interactions per room entry).';

@ApiTags('content-score')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller()
export class ContentScoreController {
  constructor(@Inject(ContentScoreUseCase) private readonly scores: ContentScoreUseCase) {}

  @Get('live-sessions/:sessionId/content-score')
  @ApiOperation({ summary: 'The live-content score L of a session', description: `${FORMULA} Computed over the whole session so far; every term lists weight, input and contribution.` })
  @ApiOkResponse({ description: '{ sessionId, streamerId, live, value, formula, terms, sample, weights, weightsSource, buckets }' })
  async score(@TenantId() tenantId: string, @Param('sessionId', new ZodValidationPipe(idSchema, 'sessionId')) sessionId: string): Promise<ContentScoreAnswer> {
    return this.scores.score(tenantId, sessionId);
  }

  @Get('live-sessions/:sessionId/minute-curve')
  @ApiOperation({
    summary: 'The minute curve of a session, from its 10-second counters',
    description: 'Per minute: entries, exits, viewers in the room at the minute’s end (Σ entries − Σ exits since the start), comments, likes, product clicks, paid orders, revenue (minor units). For session reviews.',
  })
  @ApiOkResponse({ description: '{ sessionId, howComputed, minutes: [{ minuteStart, entered, left, viewersAtEnd, comments, likes, clicks, orders, revenueMinor }] }' })
  async curve(@TenantId() tenantId: string, @Param('sessionId', new ZodValidationPipe(idSchema, 'sessionId')) sessionId: string) {
    return this.scores.minuteCurve(tenantId, sessionId);
  }

  @Get('content-score-weights')
  @ApiOperation({ summary: "The tenant's live-content-score weights", description: FORMULA })
  @ApiOkResponse({ description: '{ weights: { theta, phi }, source: tenant|default, defaults }' })
  async get(@TenantId() tenantId: string): Promise<ContentScoreWeightsResult> {
    return this.scores.weights(tenantId);
  }

  @Put('content-score-weights')
  @ApiOperation({ summary: "Set the tenant's live-content-score weights", description: `${FORMULA} Any weight left out takes its default.` })
  @ApiBody({ schema: openApiSchema(contentScoreWeightsBodySchema) })
  @ApiOkResponse({ description: '{ weights, source: tenant, defaults }' })
  async put(@TenantId() tenantId: string, @Body(new ZodValidationPipe(contentScoreWeightsBodySchema, 'content score weights')) body: ContentScoreWeightsBody): Promise<ContentScoreWeightsResult> {
    return this.scores.putWeights(tenantId, body);
  }
}
