import { Gauge } from 'prom-client';
import { ConnectionConfigError, KafkaSecurity, kafkaSecurityFromEnv, LagSample } from '@livepromo/messaging';
import { RedisConfigError, RedisConnection, redisConnectionFromEnv } from '@livepromo/cache';
import { PostgresConfigError, PostgresConnection, postgresConnectionFromEnv } from '@livepromo/persistence';
import { Metrics } from '@livepromo/observability';
import { ConfigError } from './config';

export interface ConnectionSettings {
  kafka: KafkaSecurity;
  redis: RedisConnection;
  postgres: PostgresConnection;
}

/**
 * TLS and credentials for Kafka, Redis and Postgres from the environment, validated at boot with the other
 * variables: every problem is reported at once, as a ConfigError naming the variables (never their secrets).
 */
export function connectionSettings(service: string, env: NodeJS.ProcessEnv, urls: { redis: string; postgres: string }): ConnectionSettings {
  const problems: { variable: string; message: string }[] = [];
  const attempt = <T>(f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ConnectionConfigError || e instanceof RedisConfigError || e instanceof PostgresConfigError) {
        problems.push(...e.problems);
        return fallback;
      }
      throw e;
    }
  };
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') clean[k] = v;
  const settings: ConnectionSettings = {
    kafka: attempt(() => kafkaSecurityFromEnv(clean), {}),
    redis: attempt(() => redisConnectionFromEnv(urls.redis, clean), {}),
    postgres: attempt(() => postgresConnectionFromEnv(urls.postgres, clean), { url: urls.postgres, ssl: false, mode: 'disable' }),
  };
  if (problems.length > 0) throw new ConfigError(service, problems);
  return settings;
}

/** `livepromo_consumer_lag{group,topic,partition}`: set from each lag sample; partitions no longer reported are removed. */
export function consumerLagGauge(metrics: Metrics): (sample: LagSample) => void {
  const name = 'livepromo_consumer_lag';
  const gauge =
    (metrics.registry.getSingleMetric(name) as Gauge<'group' | 'topic' | 'partition'> | undefined) ??
    new Gauge({
      name,
      help: 'Messages not yet consumed: high watermark minus the committed offset, per consumer group and partition (sampled by the bus)',
      labelNames: ['group', 'topic', 'partition'],
      registers: [metrics.registry],
    });
  return (sample) => {
    gauge.reset();
    for (const l of sample.lags) gauge.set({ group: l.group, topic: l.topic, partition: String(l.partition) }, l.lag);
  };
}

/** Compact lag summary for /health/ready (`checks.kafka.consumerLag`). */
export function lagSummary(sample: LagSample | null): { sampledAt: string; total: number; partitions: { group: string; topic: string; partition: number; lag: number }[] } | null {
  if (!sample) return null;
  return {
    sampledAt: new Date(sample.at).toISOString(),
    total: sample.lags.reduce((s, l) => s + l.lag, 0),
    partitions: sample.lags.map((l) => ({ group: l.group, topic: l.topic, partition: l.partition, lag: l.lag })),
  };
}
