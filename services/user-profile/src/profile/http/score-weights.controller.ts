import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { ScoreWeightsUseCase, WeightsResult } from '../application/score-weights.usecase';
import { ScoreWeightsBody, scoreWeightsBodySchema } from './profile.dto';

@ApiTags('score-weights')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('score-weights')
export class ScoreWeightsController {
  constructor(@Inject(ScoreWeightsUseCase) private readonly weights: ScoreWeightsUseCase) {}

  @Get()
  @ApiOperation({
    summary: "The tenant's behaviour-score weights",
    description: 'U = Σ_k α_k·x_k + β·y + γ·t; x_k = ln(1 + decayed count of interaction k), y = ln(1 + decayed paid orders), t = ln(1 + decayed watch hours).',
  })
  @ApiOkResponse({ description: '{ weights, source: tenant|default, defaults }' })
  async get(@TenantId() tenantId: string): Promise<WeightsResult> {
    return this.weights.get(tenantId);
  }

  @Put()
  @ApiOperation({
    summary: "Set the tenant's behaviour-score weights",
    description:
      'Replaces the weights of U = Σ_k α_k·x_k + β·y + γ·t for this tenant; any weight left out takes its default. Profiles read afterwards use them (the score is computed at read time).',
  })
  @ApiBody({ schema: openApiSchema(scoreWeightsBodySchema) })
  @ApiOkResponse({ description: '{ weights, source: tenant, defaults }' })
  async put(@TenantId() tenantId: string, @Body(new ZodValidationPipe(scoreWeightsBodySchema, 'score weights')) body: ScoreWeightsBody): Promise<WeightsResult> {
    return this.weights.put(tenantId, body);
  }
}
