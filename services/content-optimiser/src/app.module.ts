import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { LiveModule } from './live/live.module';
import { PlanModule } from './plan/plan.module';
import { contentOptimiserConfigSchema } from './live/application/content-optimiser.config';
import { ContentOptimiserSchema1764320000000 } from './live/infrastructure/content-optimiser-schema.migration';
import { ContentOptimiserAudience1795870000001 } from './plan/infrastructure/audience.migration';
import { ContentScoreModule } from './score/score.module';
import { ContentScoreWeights1796100000001 } from './score/infrastructure/content-score.migration';

/** Root module: the platform plus this service's contexts; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(
      AppModule,
      {
        manifest,
        migrations: [ContentOptimiserSchema1764320000000, ContentOptimiserAudience1795870000001, ContentScoreWeights1796100000001],
        configSchema: contentOptimiserConfigSchema,
        contexts: [LiveModule, PlanModule, ContentScoreModule],
      },
      overrides,
    );
  }
}
