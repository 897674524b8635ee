import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CONFIG, openApiSchema, TenantAuthGuard, ZodValidationPipe } from '@livepromo/service-kit';
import { InferenceConfig } from '../../inference.config';
import { PREDICT_COMPUTED_AS, PredictResult, PredictUseCase } from '../application/predict.usecase';
import { predictBodySchema } from './predict.dto';

@ApiTags('predict')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('predict')
export class PredictController {
  private readonly pipe: ZodValidationPipe<ReturnType<typeof predictBodySchema>>;

  constructor(
    @Inject(CONFIG) config: InferenceConfig,
    @Inject(PredictUseCase) private readonly predict: PredictUseCase,
  ) {
    this.pipe = new ZodValidationPipe(predictBodySchema(config.PREDICT_MAX_TEXTS, config.PREDICT_MAX_TEXT_CHARS), 'predict request');
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Classify one text or a batch of texts with a served model',
    description: `${PREDICT_COMPUTED_AS} Malformed input (no texts, empty or non-string texts, too many or too long texts, unknown fields) gets 400 validation_failed naming the field.`,
  })
  @ApiBody({ schema: openApiSchema(predictBodySchema(256, 2000)) })
  @ApiOkResponse({ description: '{ model: { name, version, task }, labels, predictions: [{ label, score, probabilities }], computedAs }' })
  async run(@Body() body: unknown): Promise<PredictResult> {
    const parsed = this.pipe.transform(body);
    return this.predict.execute({ model: parsed.model, texts: parsed.texts ?? [parsed.text!] });
  }
}
