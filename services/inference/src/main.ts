import 'reflect-metadata';
import { runService } from '@livepromo/service-kit';
import { AppModule } from './app.module';
import { manifest } from './service.manifest';

void runService(() => AppModule.register(), manifest);
