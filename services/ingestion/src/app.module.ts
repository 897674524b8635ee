import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, PlatformOverrides } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { ingestionConfigSchema } from './ingestion.config';
import { TenantsModule } from './tenants/tenants.module';
import { IntakeModule } from './intake/intake.module';
import { ImportsModule } from './imports/imports.module';
import { TENANT_ENTITIES } from './tenants/infrastructure/tenant.entities';
import { ImportJobEntity } from './imports/infrastructure/import-job.entity';
import { IngestionSchema1764320000000 } from './tenants/infrastructure/ingestion-schema.migration';
import { IngestionImportProgress1764600000000 } from './imports/infrastructure/import-job-progress.migration';

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
          entities: [...TENANT_ENTITIES, ImportJobEntity],
          migrations: [IngestionSchema1764320000000, IngestionImportProgress1764600000000],
          configSchema: ingestionConfigSchema,
          overrides,
        }),
        TenantsModule,
        IntakeModule,
        ImportsModule,
      ],
    };
  }
}
