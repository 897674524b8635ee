import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { ingestionConfigSchema } from './ingestion.config';
import { TenantsModule } from './tenants/tenants.module';
import { IntakeModule } from './intake/intake.module';
import { ImportsModule } from './imports/imports.module';
import { TENANT_ENTITIES } from './tenants/infrastructure/tenant.entities';
import { ImportJobEntity } from './imports/infrastructure/import-job.entity';
import { IngestionSchema1764320000000 } from './tenants/infrastructure/ingestion-schema.migration';
import { IngestionImportProgress1764600000000 } from './imports/infrastructure/import-job-progress.migration';

/** Root module: the platform plus this service's contexts; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(
      AppModule,
      {
        manifest,
        entities: [...TENANT_ENTITIES, ImportJobEntity],
        migrations: [IngestionSchema1764320000000, IngestionImportProgress1764600000000],
        configSchema: ingestionConfigSchema,
        contexts: [TenantsModule, IntakeModule, ImportsModule],
      },
      overrides,
    );
  }
}
