/**
 * A server-sent-event stream re-checks its API key and closes within seconds of the key's revocation
 * (issue #18: it used to keep flowing).
 */
import { INestApplication } from '@nestjs/common';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { SSE_KEY_RECHECK_MS } from '../src/live/http/live-session.controller';

describeWithInfra('content-optimiser SSE and key revocation over real Kafka and Postgres', (infra) => {
  const prefix = uniquePrefix('coSse');
  const tenantId = `sse-${Date.now().toString(36)}`;
  const key = `lp_test_${tenantId}_${Math.random().toString(36).slice(2)}`;
  const keyId = `k-${Math.random().toString(36).slice(2, 10)}`;
  let app: INestApplication;

  const announce = async (status: 'active' | 'revoked') => {
    const now = new Date().toISOString();
    await app.get(MessageBus).publish(
      'tenants.keys.v1',
      [
        {
          eventId: `key-${keyId}-${status}-${Date.now()}`,
          tenantId,
          type: 'tenant.key.changed' as const,
          source: 'livepromo' as const,
          occurredAt: now,
          receivedAt: now,
          schemaVersion: 1,
          payload: { keyId, keyHash: createHash('sha256').update(key).digest('hex'), status },
        },
      ],
      { key: keyId },
    );
  };

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env: serviceTestEnv(infra, prefix) }), manifest));
    await app.listen(0, '127.0.0.1');
    await announce('active');
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  it(`closes an open stream with event: revoked within ${SSE_KEY_RECHECK_MS / 1000} s of the key's revocation, and refuses the key afterwards`, async () => {
    const port = ((app.getHttpServer() as http.Server).address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/v1/live-sessions/ls-1/stream?key=${key}`;
    await waitFor('the key is known', async () => (await fetch(url.replace('/stream', ''), { headers: { authorization: `Bearer ${key}` } })).status !== 401, 30_000);
    let text = '';
    let ended = false;
    const req = http.get(url, (res) => {
      expect(res.statusCode).toBe(200);
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (ended = true));
    });
    await waitFor('the stream is open', () => text.includes('event: ready'), 10_000);
    await announce('revoked');
    const revokedAt = Date.now();
    await waitFor('the stream closed', () => ended, 30_000, 50);
    const closedAfterMs = Date.now() - revokedAt;
    req.destroy();
    expect(text).toContain('event: revoked');
    // Kafka delivery of the revocation plus one re-check period, with room for a busy machine
    expect(closedAfterMs).toBeLessThan(SSE_KEY_RECHECK_MS + 8000);
    expect((await fetch(url)).status).toBe(401);
  });
});
