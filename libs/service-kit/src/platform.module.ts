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
import { KafkaAuthError, KafkaBus, MessageBus } from '@livepromo/messaging';
import { Cache, RedisCache } from '@livepromo/cache';
import { openServiceDataSource, pingDataSource, schemaFor } from '@livepromo/persistence';
import { HealthRegistry, JsonLogger, Metrics } from '@livepromo/observability';
import { BaseConfig, baseConfigSchema, loadConfig } from './config';
import { HealthController, MetricsController } from './health.controller';
import { StatusController } from './status.controller';
import { OperatorGuard, TenantAuthGuard, TenantKeyDirectory } from './tenant-auth';

import { CONFIG, SERVICE_NAME } from './tokens';
import { connectionSettings, consumerLagGauge, lagSummary } from './connections';

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
    // TLS and credentials (KAFKA_SASL_*, KAFKA_SSL*, DATABASE_URL sslmode, REDIS_*): validated now, with the rest.
    const conn = connectionSettings(opts.service, env, { redis: config.REDIS_URL, postgres: o.databaseUrl ?? config.DATABASE_URL });

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
              replicationFactor: config.KAFKA_REPLICATION_FACTOR,
              logger,
              security: conn.kafka,
              onLag: consumerLagGauge(metrics),
            });
          if (bus instanceof KafkaBus) {
            // Connect in the background: readiness reports Kafka until it answers. Refused credentials cannot heal:
            // when the first attempt fails with them (within a few seconds), boot fails with the message.
            const first = bus.connect().then(
              () => null,
              (e: unknown) => {
                if (!(e instanceof KafkaAuthError)) logger.warn('kafka not reachable yet', { error: String(e) });
                return e;
              },
            );
            const early = await Promise.race([first, new Promise<null>((r) => setTimeout(() => r(null), 8000).unref())]);
            if (early instanceof KafkaAuthError) {
              logger.error('kafka refused the credentials', { error: early.message });
              throw early;
            }
          }
          health.register({
            name: 'kafka',
            check: async () => {
              const h = await bus.health();
              return bus instanceof KafkaBus ? { ...h, consumerLag: lagSummary(bus.lagSample()) } : h;
            },
          });
          return bus;
        },
      },
      {
        provide: Cache,
        useFactory: () => {
          const cache =
            o.cache ??
            new RedisCache({ url: config.REDIS_URL, prefix: `lp:${config.LIVEPROMO_TOPIC_PREFIX}${opts.service}:`, connection: conn.redis });
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
              url: conn.postgres.url,
              ssl: conn.postgres.ssl,
              migrationLock: o.databaseUrl === undefined,
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
