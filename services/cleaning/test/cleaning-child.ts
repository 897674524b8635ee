/**
 * Boots the cleaning app in its own process, configured from the environment the parent passes
 * (the crash test runs it with `node -r @swc-node/register services/cleaning/test/cleaning-child.ts`).
 */
import 'reflect-metadata';
import { createServiceApp } from '@livepromo/service-kit';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';

createServiceApp(AppModule.register(), manifest)
  .then(() => process.stdout.write('CLEANING_CHILD_READY\n'))
  .catch((e: unknown) => {
    process.stderr.write(`cleaning child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
