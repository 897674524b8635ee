/**
 * The bus through SASL_SSL on a private broker (tools/infra/infra.sh with LIVEPROMO_KAFKA_SASL=1: throw-away CA,
 * SCRAM users from `kafka-storage format --add-scram`, PLAIN users in the listener's JAAS config). The shared broker
 * on 9092 is never touched. Skips loudly without java (like the fault tests).
 */
import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { describeWithInfra, Infra, makeEvent, uniquePrefix, waitFor } from '@livepromo/testing';
import { KafkaAuthError, KafkaBus, kafkaSecurityFromEnv } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const INFRA = join(ROOT, 'tools/infra/infra.sh');
const haveJava = spawnSync('java', ['-version']).status === 0 && spawnSync('openssl', ['version']).status === 0;
if (process.env.LIVEPROMO_REQUIRE_INFRA === '1' && !haveJava) throw new Error('LIVEPROMO_REQUIRE_INFRA=1 but java/openssl are missing for the SASL_SSL broker');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env, timeout: 240_000 }, (err, _out, stderr) => (err ? reject(new Error(`${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve())),
  );
}

const describeSasl = haveJava ? describeWithInfra : (name: string, fn: (infra: Infra) => void) => describe.skip(`${name} [skipped: java or openssl missing]`, () => fn(null as unknown as Infra));

describeSasl('KafkaBus through SASL_SSL (private broker)', (infra) => {
  const cache = mkdtempSync(join(tmpdir(), 'livepromo-sasl-'));
  const port = 19_500 + Math.floor(Math.random() * 60) * 3;
  const saslPort = port + 2;
  const user = 'lp-sasl';
  const password = 'sasl-secret-1';
  const sharedLibs = join(ROOT, '.cache/infra/kafka/libs');
  const brokerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LIVEPROMO_INFRA_CACHE: cache,
    LIVEPROMO_KAFKA_PORT: String(port),
    LIVEPROMO_KAFKA_CONTROLLER_PORT: String(port + 1),
    LIVEPROMO_KAFKA_SASL: '1',
    LIVEPROMO_KAFKA_SASL_PORT: String(saslPort),
    LIVEPROMO_KAFKA_SASL_USER: user,
    LIVEPROMO_KAFKA_SASL_PASSWORD: password,
    ...(existsSync(join(sharedLibs, '.complete')) ? { LIVEPROMO_KAFKA_LIBS: sharedLibs } : {}),
  };
  const ca = join(cache, 'tls', 'ca.pem');
  const passwordFile = join(cache, 'kafka-password');
  const prefix = uniquePrefix('sasl');
  const buses: KafkaBus[] = [];
  const bus = (env: Record<string, string>, service: 'cleaning' | 'roi' = 'cleaning') => {
    const b = new KafkaBus({ service, brokers: [`127.0.0.1:${saslPort}`], topicPrefix: prefix, partitionsOverride: 1, security: kafkaSecurityFromEnv(env), lagIntervalMs: 0 });
    buses.push(b);
    return b;
  };
  const tlsEnv = () => ({ KAFKA_SSL: '1', KAFKA_SSL_CA_FILE: ca });

  beforeAll(async () => {
    await run('bash', [INFRA, 'kafka-up'], brokerEnv);
    writeFileSync(passwordFile, `${password}\n`);
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled(buses.map((b) => b.close()));
    await run('bash', [INFRA, 'kafka-down'], brokerEnv).catch(() => undefined);
    const pg = new Client({ connectionString: infra.databaseUrl });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${prefix.replace(/[^a-z0-9_]/g, '_')}roi" CASCADE`).finally(() => pg.end());
    rmSync(cache, { recursive: true, force: true });
  }, 120_000);

  it('publishes and consumes with SCRAM-SHA-256 over TLS (password from a _FILE, CA from the throw-away CA)', async () => {
    const b = bus({ ...tlsEnv(), KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD_FILE: passwordFile });
    await b.connect();
    const events = Array.from({ length: 20 }, (_, i) => makeEvent('live.like', { tenantId: 'sasl-t', eventId: `sasl-${i}` }));
    await b.publish('events.clean.v1', events as never);
    const seen = new Set<string>();
    const sub = await b.subscribe({
      topic: 'events.clean.v1',
      groupId: 'sasl-scram',
      handler: async (batch) => {
        for (const m of batch) seen.add(m.value.eventId);
      },
    });
    await waitFor('20 events consumed through SASL_SSL', () => seen.size === 20, 60_000, 200);
    await sub.stop();
    expect((await b.health()).ok).toBe(true);
  }, 120_000);

  it('connects with PLAIN and with SCRAM-SHA-512 too', async () => {
    for (const mechanism of ['plain', 'scram-sha-512']) {
      const b = bus({ ...tlsEnv(), KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD: password });
      await b.connect();
      await b.publish('events.clean.v1', [makeEvent('live.like', { tenantId: 'sasl-t', eventId: `sasl-${mechanism}` })] as never);
      expect((await b.health()).ok).toBe(true);
    }
  }, 60_000);

  it('fails fast and says so when the password is wrong (no hang, no retries)', async () => {
    for (const mechanism of ['scram-sha-256', 'plain']) {
      const b = bus({ ...tlsEnv(), KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD: 'wrong-password' });
      const started = Date.now();
      const err = await b.connect().then(
        () => null,
        (e: unknown) => e,
      );
      const ms = Date.now() - started;
      expect(err).toBeInstanceOf(KafkaAuthError);
      expect((err as Error).message).toMatch(/Kafka refused the credentials \(TLS, SASL (SCRAM-SHA-256|PLAIN)\).*KAFKA_SASL_PASSWORD/s);
      expect((err as Error).message).not.toContain('wrong-password');
      expect(ms).toBeLessThan(10_000);
    }
  }, 60_000);

  describe('a service process', () => {
    let child: ChildProcess | null = null;
    const output: string[] = [];
    const start = (extra: Record<string, string>, httpPort: number) => {
      output.length = 0;
      child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'services/roi/src/main.ts')], {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(httpPort),
          KAFKA_BROKERS: `127.0.0.1:${saslPort}`,
          DATABASE_URL: infra.databaseUrl,
          REDIS_URL: infra.redisUrl,
          LOG_LEVEL: 'warn',
          LIVEPROMO_TOPIC_PREFIX: prefix,
          LIVEPROMO_SCHEMA_PREFIX: prefix.replace(/[^a-z0-9_]/g, '_'),
          KAFKA_PARTITIONS: '1',
          ...tlsEnv(),
          KAFKA_SASL_MECHANISM: 'scram-sha-256',
          KAFKA_SASL_USERNAME: user,
          ...extra,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
      return child;
    };
    afterEach(async () => {
      const c = child;
      if (c && c.exitCode === null) {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await exited;
      }
    });

    it('exits at boot with a clear message when Kafka refuses the password', async () => {
      const started = Date.now();
      const c = start({ KAFKA_SASL_PASSWORD: 'wrong-password' }, 0);
      const code = await new Promise<number | null>((r) => c.once('exit', (n) => r(n)));
      const ms = Date.now() - started;
      expect(code).toBe(1);
      expect(output.join('')).toMatch(/roi failed to start: Kafka refused the credentials \(TLS, SASL SCRAM-SHA-256\)/);
      expect(output.join('')).not.toContain('wrong-password');
      expect(ms).toBeLessThan(60_000); // includes the swc compile of the service on a busy 2-core machine
    }, 90_000);

    it('boots and is ready through SASL_SSL with the right password (from a _FILE)', async () => {
      const httpPort = 19_900 + Math.floor(Math.random() * 90);
      start({ KAFKA_SASL_PASSWORD_FILE: passwordFile }, httpPort);
      await waitFor(
        'roi ready through SASL_SSL',
        async () => {
          if (child?.exitCode !== null) throw new Error(`roi exited: ${output.join('').slice(-1500)}`);
          return (await fetch(`http://127.0.0.1:${httpPort}/health/ready`).catch(() => null))?.status === 200;
        },
        90_000,
        300,
      );
      // its consumer lag is sampled through the same secured connection: in /health/ready and as the Prometheus gauge
      const ready = await waitFor(
        'consumer lag in /health/ready',
        async () => {
          const body = (await (await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).json()) as { checks: { kafka: { consumerLag?: { total: number; partitions: unknown[] } | null } } };
          return body.checks.kafka.consumerLag?.partitions.length ? body.checks.kafka.consumerLag : null;
        },
        30_000,
        300,
      );
      expect(ready.total).toBeGreaterThanOrEqual(0);
      const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      expect(metrics).toMatch(/livepromo_consumer_lag\{[^}]*group="[^"]+"[^}]*partition="0"[^}]*\} \d+/);
    }, 120_000);
  });
});
