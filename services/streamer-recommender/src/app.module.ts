import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { RecommendationModule } from './recommendation/recommendation.module';
import { recommenderConfigSchema } from './recommendation/recommendation.config';
import { RecommenderSchema1764310000000 } from './recommendation/infrastructure/recommender-schema.migration';
import { StreamerScoreModule } from './score/score.module';
import { StreamerScoreWeights1796100000000 } from './score/infrastructure/streamer-score.migration';

/** Root module: the platform plus this service's contexts; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(
      AppModule,
      {
        manifest,
        migrations: [RecommenderSchema1764310000000, StreamerScoreWeights1796100000000],
        configSchema: recommenderConfigSchema,
        contexts: [RecommendationModule, StreamerScoreModule],
      },
      overrides,
    );
  }
}
