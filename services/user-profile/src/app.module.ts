import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { ProfileModule } from './profile/profile.module';
import { profileConfigSchema } from './profile/profile.config';
import { UserProfileInitial1764300000000 } from './profile/infrastructure/user-profile-initial.migration';

/** Root module: the platform plus this service's contexts; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(
      AppModule,
      { manifest, migrations: [UserProfileInitial1764300000000], configSchema: profileConfigSchema, contexts: [ProfileModule] },
      overrides,
    );
  }
}
