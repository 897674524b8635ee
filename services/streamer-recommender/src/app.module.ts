import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, PlatformOverrides } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { RecommendationModule } from './recommendation/recommendation.module';
import { recommenderConfigSchema } from './recommendation/recommendation.config';
import { RecommenderSchema1764310000000 } from './recommendation/infrastructure/recommender-schema.migration';
import { StreamerScoreModule } from './score/score.module';
import { StreamerScoreWeights1796100000000 } from './score/infrastructure/streamer-score.migration';

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
          entities: [], // raw SQL over the tables the migrations create (no TypeORM entities)
          migrations: [RecommenderSchema1764310000000, StreamerScoreWeights1796100000000],
          configSchema: recommenderConfigSchema,
          overrides,
        }),
        RecommendationModule,
        StreamerScoreModule,
      ],
    };
  }
}
