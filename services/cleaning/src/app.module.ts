import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { cleaningConfigSchema } from './cleaning/cleaning.config';
import { CleaningModule } from './cleaning/cleaning.module';
import { CleaningSchema1764300000000 } from './cleaning/infrastructure/cleaning-schema.migration';
import { CleaningStreamOutcome1764600000000 } from './cleaning/infrastructure/stream-outcome.migration';
import { CleaningErasedUser1796200000000 } from './cleaning/infrastructure/erased-user.migration';

/** Root module: the platform plus this service's contexts; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(
      AppModule,
      {
        manifest,
        migrations: [CleaningSchema1764300000000, CleaningStreamOutcome1764600000000, CleaningErasedUser1796200000000],
        configSchema: cleaningConfigSchema,
        contexts: [CleaningModule],
      },
      overrides,
    );
  }
}
