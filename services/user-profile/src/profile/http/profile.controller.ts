import { Controller, Delete, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantAuthGuard, TenantId, TenantRequest, ZodValidationPipe } from '@livepromo/service-kit';
import { EraseUserUseCase, ErasureResult } from '../application/erase-user.usecase';
import { GetProfileUseCase } from '../application/get-profile.usecase';
import type { ProfileView } from '../domain';
import { asOfMs, asOfQuerySchema, userIdParamSchema } from './profile.dto';

@ApiTags('profiles')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('profiles')
export class ProfileController {
  constructor(
    @Inject(GetProfileUseCase) private readonly getProfile: GetProfileUseCase,
    @Inject(EraseUserUseCase) private readonly eraseUser: EraseUserUseCase,
  ) {}

  @Get(':userId')
  @ApiOperation({
    summary: "A user's profile: interests, purchase habits, interaction frequency, behaviour score, segments",
    description:
      'Every number comes with how it was computed. Interests: affinity_c = Σ w(e)·2^(−(asOf − t_e)/h) with documented weights ' +
      '(view 1, search 1.5, watch 0.2/min capped at 120 min, comment 0.5, click 2, purchase 5) and half-life h. Purchase habits: RFM ' +
      '(recency = days since the last paid order at asOf, frequency = paid orders, monetary = paid − refunded), AOV = paid / orders, ' +
      'discount sensitivity, refund rate = refunds / paid orders, preferred local buying hours and price band. Interaction: sessions ' +
      'attended, average watch time, comments/likes/shares per watched minute, favourite streamers by decayed engagement. Behaviour score ' +
      'U = Σ α_k·x_k + β·y + γ·t with each term, its weight and input. asOf (default now) fixes the instant of evaluation.',
  })
  @ApiParam({ name: 'userId' })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 instant; default now' })
  @ApiOkResponse({ description: 'the profile read model with its computation' })
  async get(@TenantId() tenantId: string, @Param('userId', new ZodValidationPipe(userIdParamSchema, 'userId')) userId: string, @Query(new ZodValidationPipe(asOfQuerySchema, 'query')) q: { asOf?: string }): Promise<ProfileView> {
    return this.getProfile.execute(tenantId, userId, asOfMs(q.asOf));
  }

  @Delete(':userId')
  @ApiOperation({
    summary: 'Erase a user',
    description:
      "Deletes the user's profile row and cache key (a sha256 tombstone keeps old events from bringing it back) and publishes " +
      "'user.erased' on privacy.erasure.v1 so every service deletes its data. Idempotent: erasing twice answers 200 with profileRowsDeleted 0.",
  })
  @ApiParam({ name: 'userId' })
  @ApiOkResponse({ description: '{ userId, profileRowsDeleted, erasureEventId }' })
  async erase(@TenantId() tenantId: string, @Param('userId', new ZodValidationPipe(userIdParamSchema, 'userId')) userId: string, @Req() req: TenantRequest): Promise<ErasureResult> {
    return this.eraseUser.request(tenantId, userId, req.apiKeyId ? `api-key:${req.apiKeyId}` : undefined);
  }
}
