import { Metrics } from '@livepromo/observability';
import { ConfigError } from './config';
import { connectionSettings, consumerLagGauge, lagSummary } from './connections';

const urls = { redis: 'redis://127.0.0.1:6379', postgres: 'postgres://postgres@127.0.0.1:5432/test' };

describe('connectionSettings', () => {
  it('is plaintext everywhere without variables (empty values count as unset)', () => {
    expect(connectionSettings('roi', { KAFKA_SASL_MECHANISM: '', KAFKA_SSL: '' }, urls)).toEqual({
      kafka: {},
      redis: {},
      postgres: { url: urls.postgres, ssl: false, mode: 'disable' },
    });
  });

  it('reports every bad Kafka, Redis and Postgres variable in one ConfigError, without secrets', () => {
    let err: unknown;
    try {
      connectionSettings('roi', { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', REDIS_TLS_CA_FILE: '/nope.pem', REDIS_PASSWORD: 'hunter2-secret' }, { ...urls, postgres: `${urls.postgres}?sslmode=prefer` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.variable)).toEqual(['KAFKA_SASL_PASSWORD', 'REDIS_TLS_CA_FILE', 'DATABASE_URL']);
    expect((err as Error).message).toContain('invalid configuration for roi');
    expect((err as Error).message).not.toContain('hunter2-secret');
  });
});

describe('consumer lag metrics', () => {
  it('sets livepromo_consumer_lag per group/topic/partition and drops partitions no longer reported', async () => {
    const metrics = new Metrics('roi', false);
    const set = consumerLagGauge(metrics);
    set({ at: 0, lags: [{ group: 'roi.ledger', topic: 'events.clean.v1', partition: 0, committed: 5, high: 12, lag: 7 }, { group: 'roi.ledger', topic: 'events.clean.v1', partition: 1, committed: 3, high: 3, lag: 0 }] });
    expect(await metrics.registry.metrics()).toMatch(/livepromo_consumer_lag\{group="roi.ledger",topic="events.clean.v1",partition="0",service="roi"\} 7/);
    set({ at: 1, lags: [{ group: 'roi.ledger', topic: 'events.clean.v1', partition: 1, committed: 3, high: 4, lag: 1 }] });
    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/partition="0"/);
    expect(text).toMatch(/partition="1",service="roi"\} 1/);
    expect(consumerLagGauge(metrics)).toBeInstanceOf(Function); // a second call reuses the registered gauge
    expect(lagSummary({ at: 0, lags: [{ group: 'g', topic: 't', partition: 2, committed: 1, high: 4, lag: 3 }] })).toEqual({
      sampledAt: '1970-01-01T00:00:00.000Z',
      total: 3,
      partitions: [{ group: 'g', topic: 't', partition: 2, lag: 3 }],
    });
    expect(lagSummary(null)).toBeNull();
  });
});
