import { DynamicModule } from '@nestjs/common';
import { PlatformOverrides } from '@livepromo/service-kit';
import { AppModule as Ingestion } from '../../services/ingestion/src/app.module';
import { manifest as ingestion } from '../../services/ingestion/src/service.manifest';
import { AppModule as Cleaning } from '../../services/cleaning/src/app.module';
import { manifest as cleaning } from '../../services/cleaning/src/service.manifest';
import { AppModule as UserProfile } from '../../services/user-profile/src/app.module';
import { manifest as userProfile } from '../../services/user-profile/src/service.manifest';
import { AppModule as Recommender } from '../../services/streamer-recommender/src/app.module';
import { manifest as recommender } from '../../services/streamer-recommender/src/service.manifest';
import { AppModule as ContentOptimiser } from '../../services/content-optimiser/src/app.module';
import { manifest as contentOptimiser } from '../../services/content-optimiser/src/service.manifest';
import { AppModule as Roi } from '../../services/roi/src/app.module';
import { manifest as roi } from '../../services/roi/src/service.manifest';
import { AppModule as Inference } from '../../services/inference/src/app.module';
import { manifest as inference } from '../../services/inference/src/service.manifest';

export interface ServiceEntry {
  manifest: { service: string; defaultPort: number; title: string; description: string };
  module: (o: PlatformOverrides) => DynamicModule;
}

/** The seven services, in start order (producers of what others need first). */
export const SERVICES: ServiceEntry[] = [
  { manifest: ingestion, module: (o) => Ingestion.register(o) },
  { manifest: cleaning, module: (o) => Cleaning.register(o) },
  { manifest: inference, module: (o) => Inference.register(o) },
  { manifest: userProfile, module: (o) => UserProfile.register(o) },
  { manifest: recommender, module: (o) => Recommender.register(o) },
  { manifest: contentOptimiser, module: (o) => ContentOptimiser.register(o) },
  { manifest: roi, module: (o) => Roi.register(o) },
];
