/**
 * DATABASE_URL sslmode against a private PostgreSQL with ssl=on (tools/infra/private-postgres.sh, throw-away CA and
 * server certificate) and against the shared one (ssl off). Skips loudly without the PostgreSQL server binaries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describeWithInfra, Infra } from '@livepromo/testing';
import { openServiceDataSource, postgresConnectionFromEnv } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const PG = join(ROOT, 'tools/infra/private-postgres.sh');
const havePg = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0 && spawnSync('openssl', ['version']).status === 0;
if (process.env.LIVEPROMO_REQUIRE_INFRA === '1' && !havePg) throw new Error('LIVEPROMO_REQUIRE_INFRA=1 but the PostgreSQL server binaries or openssl are missing');
const describePg = havePg ? describeWithInfra : (name: string, fn: (infra: Infra) => void) => describe.skip(`${name} [skipped: no PostgreSQL server binaries]`, () => fn(null as unknown as Infra));

describePg('Postgres over TLS (DATABASE_URL sslmode)', (infra) => {
  const dir = mkdtempSync(join(tmpdir(), 'livepromo-pg-tls-'));
  const port = 18_400 + Math.floor(Math.random() * 400);
  const tls = join(dir, 'tls');
  const opened: DataSource[] = [];
  const open = async (url: string, env: Record<string, string> = {}) => {
    const c = postgresConnectionFromEnv(url, env);
    const ds = await openServiceDataSource({ url: c.url, ssl: c.ssl, schema: 'tls_check', entities: [], migrations: [], poolSize: 1 });
    opened.push(ds);
    return ds;
  };

  beforeAll(() => {
    execFileSync('bash', ['-ec', `mkdir -p ${tls} && cd ${tls}
      openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=lp-test-ca 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext 2>/dev/null`]);
    chmodSync(join(tls, 'server.key'), 0o600);
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', dir]);
    execFileSync('bash', [PG, 'up', join(dir, 'pg'), String(port)], {
      env: { ...process.env, LIVEPROMO_PG_OPTS: `-c ssl=on -c ssl_cert_file=${tls}/server.pem -c ssl_key_file=${tls}/server.key` },
      timeout: 120_000,
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((d) => d.destroy()));
    spawnSync('bash', [PG, 'down', join(dir, 'pg'), String(port)], { timeout: 60_000 });
  }, 90_000);

  const base = () => `postgres://postgres@localhost:${port}/postgres`;
  const onTls = async (ds: DataSource) => (await ds.query<{ ssl: boolean }[]>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'))[0]?.ssl;

  it('verify-full with the CA file: encrypted and the server checked', async () => {
    const ds = await open(`${base()}?sslmode=verify-full`, { DATABASE_SSL_CA_FILE: join(tls, 'ca.pem') });
    expect(await onTls(ds)).toBe(true);
  });

  it('require: encrypted without checks; without sslmode: plaintext', async () => {
    expect(await onTls(await open(`${base()}?sslmode=require`))).toBe(true);
    expect(await onTls(await open(base()))).toBe(false);
  });

  it('verify-full without the CA refuses the self-signed server; require against a server without TLS fails clearly', async () => {
    await expect(open(`${base()}?sslmode=verify-full`)).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    await expect(open(`${infra.databaseUrl}${infra.databaseUrl.includes('?') ? '&' : '?'}sslmode=require`)).rejects.toThrow(/does not support SSL/i);
  });
});
