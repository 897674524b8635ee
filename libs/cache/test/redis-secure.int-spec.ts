/**
 * Redis with an ACL user (on the shared Redis: a throw-away user limited to its own keys, deleted afterwards) and
 * Redis over TLS (rediss://) on a private redis-server with a throw-away CA. Skips the TLS part loudly when
 * redis-server or openssl are missing.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { describeWithInfra, uniquePrefix, waitFor } from '@livepromo/testing';
import { RedisCache, redisConnectionFromEnv } from '../src';

const haveTlsRedis = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('openssl', ['version']).status === 0;
if (process.env.LIVEPROMO_REQUIRE_INFRA === '1' && !haveTlsRedis) throw new Error('LIVEPROMO_REQUIRE_INFRA=1 but redis-server/openssl are missing for the rediss:// test');

describeWithInfra('RedisCache with credentials and TLS', (infra) => {
  const prefix = uniquePrefix('racl');
  const user = `lp-acl-${prefix.replace(/[^a-z0-9]/g, '')}`;
  const password = 'acl-secret-1';
  const dir = mkdtempSync(join(tmpdir(), 'livepromo-redis-tls-'));
  const caches: RedisCache[] = [];
  let admin: Redis;
  let tlsServer: ChildProcess | null = null;
  const url = new URL(infra.redisUrl);

  beforeAll(async () => {
    admin = new Redis(infra.redisUrl);
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, `~lp:${prefix}*`, '+@all');
  });

  afterAll(async () => {
    await Promise.allSettled(caches.map((c) => c.close()));
    await admin.call('ACL', 'DELUSER', user).catch(() => undefined);
    await admin.quit();
    tlsServer?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const cache = (u: string, env: Record<string, string>) => {
    const c = new RedisCache({ url: u, prefix: `lp:${prefix}:`, connection: redisConnectionFromEnv(u, env) });
    caches.push(c);
    return c;
  };

  it('authenticates an ACL user from the URL or from REDIS_USERNAME / REDIS_PASSWORD_FILE, limited to its keys', async () => {
    const inUrl = cache(`redis://${user}:${password}@${url.host}`, {});
    await inUrl.set('a', '1');
    expect(await inUrl.get('a')).toBe('1');
    const pwFile = join(dir, 'pw');
    writeFileSync(pwFile, `${password}\n`);
    const fromEnv = cache(infra.redisUrl, { REDIS_USERNAME: user, REDIS_PASSWORD_FILE: pwFile });
    expect(await fromEnv.get('a')).toBe('1');
    // the ACL really applies: a key outside its pattern is refused
    await expect(fromEnv.client.set('not-mine', 'x')).rejects.toThrow(/NOPERM/);
  });

  it('refuses a wrong password at once with WRONGPASS', async () => {
    const bad = cache(infra.redisUrl, { REDIS_USERNAME: user, REDIS_PASSWORD: 'wrong' });
    const started = Date.now();
    await expect(bad.ping()).rejects.toThrow(/WRONGPASS/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  (haveTlsRedis ? it : it.skip)('speaks rediss:// to a TLS-only Redis with a private CA, and refuses it without the CA', async () => {
    const sh = (cmd: string) => {
      const r = spawnSync('bash', ['-ec', cmd], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    sh(`openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=lp-test-ca 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=localhost 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > srv.ext
        openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile srv.ext 2>/dev/null`);
    const port = 17_000 + Math.floor(Math.random() * 900);
    tlsServer = spawn('redis-server', ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', 'srv.pem', '--tls-key-file', 'srv.key', '--tls-ca-cert-file', 'ca.pem', '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--requirepass', password], { cwd: dir, stdio: 'ignore' });
    const tlsUrl = `rediss://:${password}@127.0.0.1:${port}`;
    const good = cache(tlsUrl, { REDIS_TLS_CA_FILE: join(dir, 'ca.pem') });
    await waitFor('TLS redis answering', () => good.ping().catch(() => false), 20_000, 200);
    await good.set('tls', 'yes');
    expect(await good.get('tls')).toBe('yes');
    // without the CA the certificate is not trusted: the command fails, it does not silently go plaintext
    const untrusted = new Redis(tlsUrl, { ...redisConnectionFromEnv(tlsUrl, {}), maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    const errors: Error[] = [];
    untrusted.on('error', (e: Error) => errors.push(e));
    await expect(untrusted.connect()).rejects.toThrow();
    untrusted.disconnect();
    expect(errors.map((e) => e.message).join('; ')).toMatch(/self.signed|unable to (get|verify)|certificate/i);
  }, 60_000);
});
