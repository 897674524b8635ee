import { DynamicModule, INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createServiceApp, PlatformOverrides } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, Infra, uniquePrefix } from './infra';

export interface Manifest {
  service: string;
  defaultPort: number;
  title: string;
  description: string;
}

/** Env for a service under test: real infra, run-unique topic/schema/key prefixes. */
export function serviceTestEnv(infra: Infra, prefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PORT: '0',
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    LOG_LEVEL: 'warn',
    LIVEPROMO_TOPIC_PREFIX: prefix,
    LIVEPROMO_SCHEMA_PREFIX: prefix.replace(/[^a-z0-9_]/g, '_'),
    KAFKA_PARTITIONS: '2',
    // tests boot the distributed mode without production secrets (ingestion refuses that otherwise)
    LIVEPROMO_INSECURE_DEV: '1',
    ...extra,
  };
}

/**
 * The contract every service meets, run against real Kafka, Postgres and Redis:
 * it boots, is ready only with its dependencies, documents /v1 in OpenAPI, exposes metrics,
 * and answers errors in the one JSON shape.
 */
export function describeServiceBoot(manifest: Manifest, moduleFor: (o: PlatformOverrides) => DynamicModule): void {
  describeWithInfra(`${manifest.service} service over real Kafka, Postgres and Redis`, (infra) => {
    const prefix = uniquePrefix(manifest.service);
    let app: INestApplication;

    beforeAll(async () => {
      ({ app } = await createServiceApp(moduleFor({ env: serviceTestEnv(infra, prefix) }), manifest));
    });

    afterAll(async () => {
      await app?.close();
      await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
    });

    it('reports live, and ready only once Kafka, Postgres and Redis all answer', async () => {
      await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
      let res = await request(app.getHttpServer()).get('/health/ready');
      for (let i = 0; i < 50 && res.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        res = await request(app.getHttpServer()).get('/health/ready');
      }
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.checks).sort()).toEqual(['kafka', 'postgres', 'redis']);
      const checks: Record<string, { ok: boolean }> = res.body.checks;
      for (const check of Object.values(checks)) expect(check.ok).toBe(true);
    });

    it('serves an OpenAPI document whose API paths are all under /v1', async () => {
      const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(res.body.paths);
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(p.startsWith('/v1/')).toBe(true);
    });

    it('exposes Prometheus metrics including the HTTP request counter', async () => {
      await request(app.getHttpServer()).get('/v1/status').expect(200);
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.text).toMatch(/livepromo_http_requests_total\{[^}]*service="[a-z-]+"/);
    });

    it('answers an unknown route with the shared error shape and a correlation id', async () => {
      const res = await request(app.getHttpServer()).get('/v1/definitely-not-a-route').set('X-Correlation-Id', 'corr-123').expect(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String), correlationId: 'corr-123' } });
    });
  });
}
