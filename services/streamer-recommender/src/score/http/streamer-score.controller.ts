import { Body, Controller, Get, Inject, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { StreamerScoresAnswer, StreamerScoreUseCase, StreamerScoreWeightsResult } from '../application/streamer-score.usecase';
import { StreamerScoresQuery, streamerScoresQuerySchema, StreamerScoreWeightsBody, streamerScoreWeightsBodySchema } from './streamer-score.dto';

const FORMULA =
  'M = Σ_j δ_j·C_j + ε·B; C = { categoryFit, followers = ln(1 + followers/1000), liveHours = ln(1 + hours live) }, B = paid orders per 100 room entries shrunk to the tenant rate with 50 pseudo-entries.';

@ApiTags('streamer-score')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller()
export class StreamerScoreController {
  constructor(@Inject(StreamerScoreUseCase) private readonly scores: StreamerScoreUseCase) {}

  @Get('streamer-scores')
  @ApiOperation({ summary: 'Streamers ranked by the streamer score M', description: `${FORMULA} Every result lists its terms (weight, input, contribution) and sample.` })
  @ApiQuery({ name: 'courseId', required: false })
  @ApiQuery({ name: 'category', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ description: '{ formula, target, weights, weightsSource, shrinkage, sample, results: [{ streamerId, name, value, terms, sample }] }' })
  async list(@TenantId() tenantId: string, @Query(new ZodValidationPipe(streamerScoresQuerySchema, 'query')) q: StreamerScoresQuery): Promise<StreamerScoresAnswer> {
    return this.scores.scores(tenantId, q);
  }

  @Get('streamer-score-weights')
  @ApiOperation({ summary: "The tenant's streamer-score weights", description: FORMULA })
  @ApiOkResponse({ description: '{ weights: { delta, epsilon }, source: tenant|default, defaults }' })
  async get(@TenantId() tenantId: string): Promise<StreamerScoreWeightsResult> {
    return this.scores.weights(tenantId);
  }

  @Put('streamer-score-weights')
  @ApiOperation({ summary: "Set the tenant's streamer-score weights", description: `${FORMULA} Any weight left out takes its default; scores read afterwards use them.` })
  @ApiBody({ schema: openApiSchema(streamerScoreWeightsBodySchema) })
  @ApiOkResponse({ description: '{ weights, source: tenant, defaults }' })
  async put(@TenantId() tenantId: string, @Body(new ZodValidationPipe(streamerScoreWeightsBodySchema, 'streamer score weights')) body: StreamerScoreWeightsBody): Promise<StreamerScoreWeightsResult> {
    return this.scores.putWeights(tenantId, body);
  }
}
