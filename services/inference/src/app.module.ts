import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { inferenceConfigSchema } from './inference.config';
import { ModelsModule } from './models/models.module';
import { InferenceInit1764300000000 } from './models/infrastructure/inference.migration';
import { manifest } from './service.manifest';

/** Root module: the platform plus this service's contexts; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(
      AppModule,
      { manifest, migrations: [InferenceInit1764300000000], configSchema: inferenceConfigSchema, contexts: [ModelsModule] },
      overrides,
    );
  }
}
