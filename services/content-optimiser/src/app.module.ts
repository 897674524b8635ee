import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, PlatformOverrides } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { LiveModule } from './live/live.module';
import { PlanModule } from './plan/plan.module';
import { contentOptimiserConfigSchema } from './live/application/content-optimiser.config';
import { ContentOptimiserSchema1764320000000 } from './live/infrastructure/content-optimiser-schema.migration';
import { ContentOptimiserAudience1795870000001 } from './plan/infrastructure/audience.migration';
import { ContentScoreModule } from './score/score.module';
import { ContentScoreWeights1796100000001 } from './score/infrastructure/content-score.migration';

/** Root module; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: manifest.service,
          defaultPort: manifest.defaultPort,
          entities: [],
          migrations: [ContentOptimiserSchema1764320000000, ContentOptimiserAudience1795870000001, ContentScoreWeights1796100000001],
          configSchema: contentOptimiserConfigSchema,
          overrides,
        }),
        LiveModule,
        PlanModule,
        ContentScoreModule,
      ],
    };
  }
}
