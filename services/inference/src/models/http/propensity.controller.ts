import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CONFIG, openApiSchema, TenantAuthGuard, ZodValidationPipe } from '@livepromo/service-kit';
import { InferenceConfig } from '../../inference.config';
import { PROPENSITY_COMPUTED_AS, PropensityResult, PropensityUseCase } from '../application/propensity.usecase';
import { propensityBodySchema } from './predict.dto';

@ApiTags('predict')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('propensity')
export class PropensityController {
  private readonly pipe: ZodValidationPipe<ReturnType<typeof propensityBodySchema>>;

  constructor(
    @Inject(CONFIG) config: InferenceConfig,
    @Inject(PropensityUseCase) private readonly propensity: PropensityUseCase,
  ) {
    this.pipe = new ZodValidationPipe(propensityBodySchema(config.PREDICT_MAX_TEXTS), 'propensity request');
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Purchase probability of users from their activity counts',
    description: `${PROPENSITY_COMPUTED_AS} Features: course_views, course_searches, cart_adds, live_room_enters, watch_minutes, comments, likes, gifts, shares, follows, product_clicks, coupon_claims, lottery_joins. Unknown feature names or negative values get 400.`,
  })
  @ApiBody({ schema: openApiSchema(propensityBodySchema(256)) })
  @ApiOkResponse({ description: '{ model: { name, version, features, heldOutAuc }, scores: [{ userId?, purchaseProbability }], computedAs }' })
  async score(@Body() body: unknown): Promise<PropensityResult> {
    const parsed = this.pipe.transform(body);
    return this.propensity.execute({ model: parsed.model, rows: parsed.rows });
  }
}
