import { Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantAuthGuard, TenantId } from '@livepromo/service-kit';
import { ModelRegistry, ModelSummary, summarise } from '../application/model-registry.service';

@ApiTags('models')
@ApiBearerAuth()
@UseGuards(TenantAuthGuard)
@Controller('models')
export class ModelsController {
  constructor(@Inject(ModelRegistry) private readonly models: ModelRegistry) {}

  @Post('retrain')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retrain the tenant’s model now',
    description:
      'Reloads features and implicit feedback, retrains implicit ALS (confidence 1 + α·strength, strength = room entries + watch minutes/10 + 0.2·interactions + 3·purchases), item co-audience neighbours and k-means clusters (k by silhouette); bumps the model version, drops cached results and publishes recommendations.updated.v1.',
  })
  @ApiOkResponse({ description: 'model summary: version, sizes, factorisation settings, hybrid weights, clusters with distinguishing features' })
  async retrain(@TenantId() tenantId: string): Promise<ModelSummary> {
    return summarise(await this.models.train(tenantId, 'on demand'), 'on demand');
  }

  @Get('current')
  @ApiOperation({
    summary: 'The tenant’s current model and streamer clusters',
    description: 'Clusters come from k-means++ on z-scored streamer features (content and audience category shares, log followers, log avg concurrent viewers, interaction rate, conversion rate, log revenue per live hour, price band), k chosen by the mean silhouette; each cluster lists the features whose mean z-score is largest.',
  })
  async current(@TenantId() tenantId: string): Promise<ModelSummary> {
    const m = this.models.current(tenantId) ?? (await this.models.get(tenantId));
    return summarise(m, 'current');
  }
}
