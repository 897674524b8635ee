import './ort-jest-realm';
import { describeServiceBoot } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';

describeServiceBoot(manifest, (overrides) => AppModule.register(overrides));
