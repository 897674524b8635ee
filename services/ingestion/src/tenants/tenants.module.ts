import { Module } from '@nestjs/common';
import { CONFIG, BaseConfig, ConfigError } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import { IngestionConfig, missingProductionSecrets } from '../ingestion.config';
import { TenantAdminUseCase } from './application/tenant-admin.usecase';
import { SECRET_BOX, TenantSettingsService } from './application/tenant-settings.service';
import { SecretBox } from './domain/secret-box';
import { TenantsAdminController } from './http/tenants-admin.controller';
import { TenantRepository } from './infrastructure/tenant.repository';

@Module({
  controllers: [TenantsAdminController],
  providers: [
    TenantRepository,
    TenantSettingsService,
    TenantAdminUseCase,
    {
      provide: SECRET_BOX,
      inject: [CONFIG, JsonLogger],
      useFactory: (config: BaseConfig & IngestionConfig, log: JsonLogger) => {
        const missing = missingProductionSecrets(config);
        if (missing.length) throw new ConfigError('ingestion', missing);
        const box = new SecretBox(config.SECRET_ENCRYPTION_KEY);
        if (!box.encrypts) log.warn('SECRET_ENCRYPTION_KEY is not set: webhook secrets and pseudonym keys are stored in clear');
        return box;
      },
    },
  ],
  exports: [TenantSettingsService],
})
export class TenantsModule {}
