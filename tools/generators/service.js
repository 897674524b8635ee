#!/usr/bin/env node
// Generator: `node tools/generators/service.js <name> <port> "<title>"` stamps a new NestJS
// service with the platform wiring, project.json, .env.example and an
// integration test, so that the next service looks like the last one.
const fs = require('node:fs');
const path = require('node:path');

const [name, port, ...titleParts] = process.argv.slice(2);
if (!name || !/^[a-z][a-z-]*$/.test(name) || !/^\d+$/.test(port ?? '')) {
  console.error('usage: node tools/generators/service.js <kebab-name> <port> "<title>"');
  process.exit(2);
}
const title = titleParts.join(' ') || name;
const root = path.join(__dirname, '..', '..', 'services', name);
const pascal = name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());
const files = {
  'src/service.manifest.ts': `import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: '${name}' as ServiceName,
  defaultPort: ${port},
  title: 'livepromo ${name}',
  description: '${title.replace(/'/g, "\\'")}',
} as const;
`,
  'src/app.module.ts': `import { DynamicModule, Module } from '@nestjs/common';
import { PlatformOverrides, serviceRoot } from '@livepromo/service-kit';
import { manifest } from './service.manifest';

/** Root module: the platform plus this service's contexts; \`register(overrides)\` lets the embedded runner and tests swap adapters. */
@Module({})
export class AppModule {
  static register(overrides?: PlatformOverrides): DynamicModule {
    return serviceRoot(AppModule, { manifest, migrations: [], contexts: [] }, overrides);
  }
}
`,
  'src/main.ts': `import 'reflect-metadata';
import { runService } from '@livepromo/service-kit';
import { AppModule } from './app.module';
import { manifest } from './service.manifest';

void runService(() => AppModule.register(), manifest);
`,
  'test/app.int-spec.ts': `import { describeServiceBoot } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';

describeServiceBoot(manifest, (overrides) => AppModule.register(overrides));
`,
  'project.json': JSON.stringify(
    {
      name,
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      projectType: 'application',
      sourceRoot: `services/${name}/src`,
      tags: ['type:app', `scope:${name}`],
      targets: {
        build: { executor: 'nx:run-commands', options: { command: `npx swc services/${name}/src -d dist --config-file .swcrc` }, outputs: [`{workspaceRoot}/dist/services/${name}`], cache: true },
        serve: { executor: 'nx:run-commands', options: { command: `node -r @swc-node/register services/${name}/src/main.ts` } },
        typecheck: { executor: 'nx:run-commands', options: { command: 'npx tsc -p tsconfig.json' }, cache: true },
        test: { executor: 'nx:run-commands', options: { command: `npx jest -c jest.config.js services/${name}` }, cache: true },
        'test:int': { executor: 'nx:run-commands', options: { command: `npx jest -c jest.int.config.js --runInBand services/${name}` } },
      },
    },
    null,
    2,
  ) + '\n',
  '.env.example': `# ${name}: every variable, its default and meaning (validated at boot; the service refuses to start on a malformed value)
PORT=${port}
# distributed (Kafka, Postgres, Redis) or embedded (set by the all-in-one runner)
LIVEPROMO_MODE=distributed
KAFKA_BROKERS=127.0.0.1:9092
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
REDIS_URL=redis://127.0.0.1:6379
LOG_LEVEL=info
# prefix for topics, consumer groups and Redis keys (isolates test runs or environments)
LIVEPROMO_TOPIC_PREFIX=
# prefix for this service's Postgres schema (${name.replace(/-/g, '_')})
LIVEPROMO_SCHEMA_PREFIX=
HTTP_BODY_LIMIT_BYTES=1048576
# partition count override when provisioning topics (default: the registry's)
KAFKA_PARTITIONS=
`,
};
for (const [rel, content] of Object.entries(files)) {
  const p = path.join(root, rel);
  if (fs.existsSync(p)) {
    console.log(`keep   ${path.relative(process.cwd(), p)}`);
    continue;
  }
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  console.log(`create ${path.relative(process.cwd(), p)}`);
}
void pascal;
