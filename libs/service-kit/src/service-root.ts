import { DynamicModule, Type } from '@nestjs/common';
import { z } from 'zod';
import { PlatformModule, PlatformOptions, PlatformOverrides } from './platform.module';

/** What a service's root module declares: its migrations, its config, its bounded contexts. */
export interface ServiceRootOptions<S extends z.ZodObject> extends Pick<PlatformOptions<S>, 'entities' | 'migrations' | 'configSchema'> {
  manifest: { service: string; defaultPort: number };
  /** The service's bounded-context modules (http, messaging, application, domain, infrastructure inside each). */
  contexts: Type[];
}

/**
 * A service's root module: the platform (config, bus, cache, database with migrations, health, metrics, /v1/status)
 * plus its contexts. `overrides` lets the embedded runner and tests swap adapters.
 *
 *   static register(overrides?: PlatformOverrides) { return serviceRoot(AppModule, { manifest, migrations, configSchema, contexts }, overrides); }
 */
export function serviceRoot<S extends z.ZodObject>(root: Type, opts: ServiceRootOptions<S>, overrides?: PlatformOverrides): DynamicModule {
  return {
    module: root,
    imports: [
      PlatformModule.forRoot({
        service: opts.manifest.service as PlatformOptions<S>['service'],
        defaultPort: opts.manifest.defaultPort,
        entities: opts.entities ?? [],
        migrations: opts.migrations,
        configSchema: opts.configSchema,
        overrides,
      }),
      ...opts.contexts,
    ],
  };
}
