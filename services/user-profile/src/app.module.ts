import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, PlatformOverrides } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { ProfileModule } from './profile/profile.module';
import { profileConfigSchema } from './profile/profile.config';
import { UserProfileInitial1764300000000 } from './profile/infrastructure/user-profile-initial.migration';

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
          migrations: [UserProfileInitial1764300000000],
          configSchema: profileConfigSchema,
          overrides,
        }),
        ProfileModule,
      ],
    };
  }
}
