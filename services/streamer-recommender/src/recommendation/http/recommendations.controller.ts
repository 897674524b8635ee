import { Body, Controller, Get, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { RecommendUseCase } from '../application/recommend.usecase';
import { CourseQuery, courseQuerySchema, idParamSchema, ListQuery, listQuerySchema, SegmentBody, segmentBodySchema } from './recommendation.dto';

@ApiTags('recommendations')
@ApiBearerAuth()
@UseGuards(TenantAuthGuard)
@Controller('recommendations')
export class RecommendationsController {
  constructor(@Inject(RecommendUseCase) private readonly recommend: RecommendUseCase) {}

  @Get('users/:userId/streamers')
  @ApiOperation({
    summary: 'Streamers for a user',
    description:
      'Hybrid score M = Σ δk·Ck + ε·B over content (cosine of the user interest vector with streamer content and audience vectors), cf (implicit ALS), repeat (own history by strength), recency, itemKnn (co-audience) and B = popularity; each component in [0,1], weights in method.weights. Every result lists its components (value, weight, contribution) and reasons. Unknown users get the content side and popularity (cold start). diversify=true re-ranks by MMR.',
  })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'diversify', required: false, type: Boolean })
  @ApiOkResponse({ description: 'ranked streamers with score components, reasons, cluster and model version' })
  forUser(@TenantId() tenantId: string, @Param('userId', new ZodValidationPipe(idParamSchema, 'userId')) userId: string, @Query(new ZodValidationPipe(listQuerySchema, 'query')) q: ListQuery) {
    return this.recommend.forUser(tenantId, userId, q.limit, q.diversify);
  }

  @Get('courses/:courseId/streamers')
  @ApiOperation({
    summary: 'Streamers who should sell a course',
    description:
      'Ranked by expected enrolments = predicted conversion × reach. Predicted conversion = smoothed conversion rate ((orders + m·p0)/(room entries + m)) × affinity; affinity = 0.7·content match (course vector vs streamer content and audience) + 0.3·how much the course audience watches the streamer (CF). Reach = room entries per live session. Audience overlap = users who viewed/bought the course and already watch the streamer.',
  })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'category', required: false, enum: ['programming', 'writing', 'design', 'marketing', 'management'] })
  forCourse(@TenantId() tenantId: string, @Param('courseId', new ZodValidationPipe(idParamSchema, 'courseId')) courseId: string, @Query(new ZodValidationPipe(courseQuerySchema, 'query')) q: CourseQuery) {
    return this.recommend.forCourse(tenantId, courseId, q.limit, q.category);
  }

  @Post('segments/streamers')
  @ApiOperation({
    summary: 'Streamers for a segment (user ids and/or an interest vector)',
    description:
      'The segment becomes one profile: mean interest vector of its known users plus the given interests, mean ALS user vector, merged viewing histories; then ranked by the same hybrid score as for a user.',
  })
  @ApiBody({ schema: openApiSchema(segmentBodySchema) })
  forSegment(@TenantId() tenantId: string, @Body(new ZodValidationPipe(segmentBodySchema, 'body')) body: SegmentBody) {
    return this.recommend.forSegment(tenantId, body);
  }

  @Get('streamers/:streamerId/similar')
  @ApiOperation({
    summary: 'Streamers similar to a streamer',
    description: 'score = 0.4·cosine of ALS item factors + 0.3·co-audience cosine |U_a ∩ U_b|/√(|U_a|·|U_b|) + 0.3·content category cosine; same-cluster flag from k-means.',
  })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  similar(@TenantId() tenantId: string, @Param('streamerId', new ZodValidationPipe(idParamSchema, 'streamerId')) streamerId: string, @Query(new ZodValidationPipe(listQuerySchema, 'query')) q: ListQuery) {
    return this.recommend.similar(tenantId, streamerId, q.limit);
  }
}
