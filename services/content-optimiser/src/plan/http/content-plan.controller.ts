import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { ContentPlanUseCase } from '../application/content-plan.usecase';
import { ContentPlanBody, contentPlanBodySchema } from './content-plan.dto';

@ApiTags('content plans')
@ApiBearerAuth('tenant-key')
@Controller()
export class ContentPlanController {
  constructor(@Inject(ContentPlanUseCase) private readonly plans: ContentPlanUseCase) {}

  @Post('content-plans')
  @HttpCode(200)
  @UseGuards(TenantAuthGuard)
  @ApiOperation({
    summary: 'Plan a live session before it starts: agenda, interaction schedule, expected questions',
    description:
      'For a course, an optional streamer and a target segment (user ids and/or interest weights by category): ' +
      "(1) agenda — the course's topics (from course.viewed payload.topics) ordered by the segment's smoothed interest, with minutes; " +
      '(2) interactions — per trigger, the strategy with the best bandit posterior for the course category, placed ahead of the minute the trigger ' +
      "usually fires (the streamer's own sessions when there are ≥ 3 past suggestions, else the category); " +
      '(3) the questions this audience asks (classified price / how-to-buy / course-content comments, grouped). ' +
      'Computed, not stored: 200 with `sample` (the data behind it), `warnings` and `howComputed`. 404 when the course is unknown and no category is given.',
  })
  @ApiBody({ schema: openApiSchema(contentPlanBodySchema) })
  @ApiOkResponse({ description: '{ agenda, interactions, questions, sample, warnings, howComputed }' })
  plan(@TenantId() tenantId: string, @Body(new ZodValidationPipe(contentPlanBodySchema, 'body')) body: ContentPlanBody) {
    return this.plans.execute(tenantId, body);
  }
}
