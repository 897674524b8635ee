import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { z } from 'zod';
import { ServiceName } from '@livepromo/contracts';
import { KafkaBus, MessageBus } from '@livepromo/messaging';
import { Cache, RedisCache } from '@livepromo/cache';
import { openServiceDataSource, pingDataSource, schemaFor } from '@livepromo/persistence';
import { HealthRegistry, JsonLogger, Metrics } from '@livepromo/observability';
import { BaseConfig, baseConfigSchema, loadConfig } from './config';
import { HealthController, MetricsController } from './health.controller';
import { StatusController } from './status.controller';
import { OperatorGuard, TenantAuthGuard, TenantKeyDirectory } from './tenant-auth';

import { CONFIG, SERVICE_NAME } from './tokens';

export { CONFIG, SERVICE_NAME };

/** Adapters handed in by the embedded runner (in-process bus, PGlite, memory cache) or by tests. */
export interface PlatformOverrides {
  bus?: MessageBus;
  cache?: Cache;
  dataSource?: DataSource;
  /** Postgres URL to use instead of DATABASE_URL (embedded PGlite socket). */
  databaseUrl?: string;
  /** Connection pool size (the embedded PGlite serves one connection at a time). */
  poolSize?: number;
  env?: NodeJS.ProcessEnv;
  logger?: JsonLogger;
  metrics?: Metrics;
}

export interface PlatformOptions<S extends z.ZodObject = typeof baseConfigSchema> {
  service: ServiceName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  /** Extra, service-specific environment schema (merged with the base one). */
  configSchema?: S;
  /** Default PORT when unset. */
  defaultPort: number;
  overrides?: PlatformOverrides;
  /** Set false for a service that needs no database (none today). */
  database?: boolean;
}

@Injectable()
class PlatformLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(Cache) private readonly cache: Cache,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(JsonLogger) private readonly log: JsonLogger,
    @Inject('LIVEPROMO_OWNS') private readonly owns: { bus: boolean; cache: boolean; ds: boolean },
  ) {}

  /** Drain consumers first (they commit after their last batch), while DB and cache still answer. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.log.info('shutting down: draining consumers', { signal });
    if (this.owns.bus) await this.bus.close();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.owns.cache) await this.cache.close();
    if (this.owns.ds && this.ds.isInitialized) await this.ds.destroy();
    this.log.info('shut down');
  }
}

/**
 * Everything a service needs from the platform, built once from validated config:
 * typed config, MessageBus (Kafka), Cache (Redis), DataSource (Postgres, own schema, migrated),
 * logger, metrics, health checks and the /health and /metrics routes.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot<S extends z.ZodObject>(opts: PlatformOptions<S>): DynamicModule {
    const o = opts.overrides ?? {};
    const schema = (opts.configSchema ? baseConfigSchema.extend(opts.configSchema.shape) : baseConfigSchema) as z.ZodObject;
    const env = { PORT: String(opts.defaultPort), ...(o.env ?? process.env) };
    const config = loadConfig(opts.service, schema, env) as BaseConfig & z.infer<S>;
    const logger = o.logger ?? new JsonLogger(opts.service, config.LOG_LEVEL);
    const metrics = o.metrics ?? new Metrics(opts.service);
    const health = new HealthRegistry();

    const providers: Provider[] = [
      { provide: CONFIG, useValue: config },
      { provide: SERVICE_NAME, useValue: opts.service },
      { provide: JsonLogger, useValue: logger },
      { provide: Metrics, useValue: metrics },
      { provide: HealthRegistry, useValue: health },
      { provide: 'LIVEPROMO_OWNS', useValue: { bus: !o.bus, cache: !o.cache, ds: !o.dataSource } },
      {
        provide: MessageBus,
        useFactory: async () => {
          const bus =
            o.bus ??
            new KafkaBus({
              service: opts.service,
              brokers: config.KAFKA_BROKERS,
              topicPrefix: config.LIVEPROMO_TOPIC_PREFIX,
              partitionsOverride: config.KAFKA_PARTITIONS,
              logger,
            });
          if (bus instanceof KafkaBus) {
            // Connect in the background: readiness reports Kafka until it answers.
            bus.connect().catch((e: unknown) => logger.warn('kafka not reachable yet', { error: String(e) }));
          }
          health.register({ name: 'kafka', check: () => bus.health() });
          return bus;
        },
      },
      {
        provide: Cache,
        useFactory: () => {
          const cache =
            o.cache ?? new RedisCache({ url: config.REDIS_URL, prefix: `lp:${config.LIVEPROMO_TOPIC_PREFIX}${opts.service}:` });
          health.register({ name: 'redis', check: async () => ({ ok: await cache.ping(), detail: 'PING' }) });
          return cache;
        },
      },
      {
        provide: DataSource,
        useFactory: async () => {
          const ds =
            o.dataSource ??
            (await openServiceDataSource({
              url: o.databaseUrl ?? config.DATABASE_URL,
              schema: schemaFor(opts.service, config.LIVEPROMO_SCHEMA_PREFIX),
              entities: opts.entities ?? [],
              migrations: opts.migrations ?? [],
              poolSize: o.poolSize,
            }));
          health.register({ name: 'postgres', check: () => pingDataSource(ds) });
          return ds;
        },
      },
      PlatformLifecycle,
      TenantKeyDirectory,
      TenantAuthGuard,
      OperatorGuard,
    ];
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, MetricsController, StatusController],
      providers,
      exports: providers.filter((p) => p !== PlatformLifecycle),
    };
  }
}
