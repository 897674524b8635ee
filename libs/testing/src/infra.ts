import { execFileSync } from 'node:child_process';
import { Socket } from 'node:net';

export interface Infra {
  kafkaBrokers: string[];
  databaseUrl: string;
  redisUrl: string;
  /** Where the addresses came from. */
  origin: 'environment' | 'testcontainers';
}

const ENV_STATUS = 'LIVEPROMO_TEST_INFRA';

function tcpOpen(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, host, () => done(true));
  });
}

function hostPort(url: string, defPort: number): [string, number] {
  const u = new URL(url);
  return [u.hostname, Number(u.port || defPort)];
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

let containers: { stop(): Promise<unknown> }[] = [];

/**
 * Resolves Kafka/Postgres/Redis for integration tests, once per jest run (globalSetup):
 * 1. from KAFKA_BROKERS, DATABASE_URL, REDIS_URL, checked to answer;
 * 2. otherwise, where a Docker engine answers, from testcontainers;
 * 3. otherwise integration suites skip with one loud line — unless LIVEPROMO_REQUIRE_INFRA=1,
 *    in which case the run fails.
 */
export async function resolveInfra(): Promise<Infra | { missing: string }> {
  const { KAFKA_BROKERS, DATABASE_URL, REDIS_URL } = process.env;
  if (KAFKA_BROKERS || DATABASE_URL || REDIS_URL) {
    const problems: string[] = [];
    if (!KAFKA_BROKERS) problems.push('KAFKA_BROKERS is not set');
    if (!DATABASE_URL) problems.push('DATABASE_URL is not set');
    if (!REDIS_URL) problems.push('REDIS_URL is not set');
    if (problems.length) return { missing: problems.join('; ') };
    const brokers = KAFKA_BROKERS!.split(',').map((s) => s.trim());
    const [kh, kp] = brokers[0].split(':');
    const checks: [string, Promise<boolean>][] = [
      [`kafka ${brokers[0]}`, tcpOpen(kh, Number(kp))],
      [`postgres ${DATABASE_URL}`, tcpOpen(...hostPort(DATABASE_URL!, 5432))],
      [`redis ${REDIS_URL}`, tcpOpen(...hostPort(REDIS_URL!, 6379))],
    ];
    const down: string[] = [];
    for (const [name, p] of checks) if (!(await p)) down.push(name);
    if (down.length) return { missing: `not answering: ${down.join(', ')} (run \`npm run infra:up\`)` };
    return { kafkaBrokers: brokers, databaseUrl: DATABASE_URL!, redisUrl: REDIS_URL!, origin: 'environment' };
  }
  if (dockerAnswers()) {
    // Loaded lazily: testcontainers is only needed where Docker exists.
    const tc = await import('testcontainers');
    const pg = await new tc.GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'test' })
      .withExposedPorts(5432)
      .withWaitStrategy(tc.Wait.forLogMessage(/ready to accept connections/, 2))
      .start();
    const redis = await new tc.GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    const kafka = await new tc.GenericContainer('apache/kafka:3.9.1')
      .withExposedPorts({ container: 9092, host: 19092 })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://localhost:19092',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      })
      .withWaitStrategy(tc.Wait.forListeningPorts())
      .start();
    containers = [pg, redis, kafka];
    return {
      kafkaBrokers: ['localhost:19092'],
      databaseUrl: `postgres://postgres:test@${pg.getHost()}:${pg.getMappedPort(5432)}/test`,
      redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
      origin: 'testcontainers',
    };
  }
  return { missing: 'no KAFKA_BROKERS/DATABASE_URL/REDIS_URL in the environment and no Docker engine for testcontainers' };
}

/** Jest globalSetup: resolves once and passes the result to workers through the environment. */
export async function integrationGlobalSetup(): Promise<void> {
  const r = await resolveInfra();
  if ('missing' in r) {
    if (process.env.LIVEPROMO_REQUIRE_INFRA === '1') {
      throw new Error(`LIVEPROMO_REQUIRE_INFRA=1 but integration infrastructure is missing: ${r.missing}`);
    }
    process.stderr.write(`\n!!!! SKIPPING INTEGRATION TESTS: ${r.missing}. Run \`npm run infra:up\` (or set LIVEPROMO_REQUIRE_INFRA=1 to fail instead). !!!!\n\n`);
    process.env[ENV_STATUS] = JSON.stringify({ missing: r.missing });
    return;
  }
  process.env[ENV_STATUS] = JSON.stringify(r);
  process.env.KAFKA_BROKERS = r.kafkaBrokers.join(',');
  process.env.DATABASE_URL = r.databaseUrl;
  process.env.REDIS_URL = r.redisUrl;
}

export async function integrationGlobalTeardown(): Promise<void> {
  await Promise.allSettled(containers.map((c) => c.stop()));
  containers = [];
}

/** The infra resolved by globalSetup, or null when integration tests must skip. */
export function testInfra(): Infra | null {
  const raw = process.env[ENV_STATUS];
  if (!raw) {
    // Not run under the integration config: fall back to explicit env only.
    const { KAFKA_BROKERS, DATABASE_URL, REDIS_URL } = process.env;
    if (KAFKA_BROKERS && DATABASE_URL && REDIS_URL) {
      return { kafkaBrokers: KAFKA_BROKERS.split(','), databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, origin: 'environment' };
    }
    return null;
  }
  const parsed = JSON.parse(raw) as Infra | { missing: string };
  return 'missing' in parsed ? null : parsed;
}

/** `describe` when infra is there, `describe.skip` otherwise (the skip reason was printed once). */
export function describeWithInfra(name: string, fn: (infra: Infra) => void): void {
  const infra = testInfra();
  if (infra) describe(name, () => fn(infra));
  else describe.skip(`${name} [skipped: no integration infrastructure]`, () => fn(null as unknown as Infra));
}

/** Unique, lowercase prefix for topics, consumer groups, schemas and Redis keys of one run. */
export function uniquePrefix(label: string): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12);
  return `t${clean}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}_`;
}
