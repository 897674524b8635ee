import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { manifest } from './service.manifest';
import { RoiModule } from './roi/roi.module';
import { roiConfigSchema } from './roi/roi.config';
import { RoiInitial1764310000000 } from './roi/infrastructure/roi-initial.migration';
import { RoiBotTraffic1795870000000 } from './roi/infrastructure/roi-bot-traffic.migration';
import { RoiFunnelOrder1796100000000 } from './roi/infrastructure/roi-funnel-order.migration';

/** Root module: the platform plus this service's contexts; `register(overrides)` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(
      AppModule,
      {
        manifest,
        migrations: [RoiInitial1764310000000, RoiBotTraffic1795870000000, RoiFunnelOrder1796100000000],
        configSchema: roiConfigSchema,
        contexts: [RoiModule],
      },
      overrides,
    );
  }
}
