import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, PlatformOverrides } from '@livepromo/service-kit';
import { inferenceConfigSchema } from './inference.config';
import { ModelsModule } from './models/models.module';
import { InferenceInit1764300000000 } from './models/infrastructure/inference.migration';
import { manifest } from './service.manifest';

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
          configSchema: inferenceConfigSchema,
          entities: [], // raw SQL over the tables the migrations create (no TypeORM entities)
          migrations: [InferenceInit1764300000000],
          overrides,
        }),
        ModelsModule,
      ],
    };
  }
}
