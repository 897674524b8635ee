/**
 * Runs the seven services as separate processes against real Kafka, Postgres and Redis for
 * end-to-end tests, isolated by a run prefix (topics, groups, schemas, Redis keys).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Infra, waitFor } from '@livepromo/testing';

export const SERVICE_PORTS: Record<string, number> = {
  ingestion: 0,
  cleaning: 1,
  'user-profile': 2,
  'streamer-recommender': 3,
  'content-optimiser': 4,
  roi: 5,
  inference: 6,
};

export const OPERATOR_TOKEN = 'e2e-operator-token-0123456789';

export class ServiceProcess {
  child: ChildProcess | null = null;
  output: string[] = [];
  constructor(
    readonly name: string,
    readonly port: number,
    protected readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const root = join(__dirname, '..', '..');
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'services', this.name, 'src/main.ts')], {
      cwd: root,
      env: { ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      this.output.push(b.toString());
      if (this.output.length > 200) this.output.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }

  async ready(timeoutMs = 120000): Promise<void> {
    await waitFor(
      `${this.name} ready on ${this.url}`,
      async () => {
        if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) throw new Error(`${this.name} exited: ${this.output.join('').slice(-2000)}`);
        const r = await fetch(`${this.url}/health/ready`).catch(() => null);
        return r?.status === 200;
      },
      timeoutMs,
      250,
    );
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const c = this.child;
    // a process killed by a signal has exitCode null and signalCode set: it has exited all the same
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  }
}

export class Platform {
  readonly services = new Map<string, ServiceProcess>();

  constructor(infra: Infra, prefix: string, basePort: number) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      DATABASE_URL: infra.databaseUrl,
      REDIS_URL: infra.redisUrl,
      LOG_LEVEL: 'warn',
      LIVEPROMO_TOPIC_PREFIX: prefix,
      LIVEPROMO_SCHEMA_PREFIX: prefix.replace(/[^a-z0-9_]/g, '_'),
      KAFKA_PARTITIONS: '2',
      OPERATOR_TOKEN,
      SECRET_ENCRYPTION_KEY: 'e2e-secret-encryption-key-0123456789',
      SWC_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json'),
    };
    for (const [name, offset] of Object.entries(SERVICE_PORTS)) this.services.set(name, new ServiceProcess(name, basePort + offset, env));
  }

  svc(name: string): ServiceProcess {
    const s = this.services.get(name);
    if (!s) throw new Error(`no service ${name}`);
    return s;
  }

  /** Starts every service, or only those named (ingestion is always first: it provisions topics). */
  async start(only?: readonly string[]): Promise<void> {
    if (only) for (const name of [...this.services.keys()]) if (name !== 'ingestion' && !only.includes(name)) this.services.delete(name);
    const ing = this.svc('ingestion');
    ing.start();
    await ing.ready();
    for (const s of this.services.values()) if (s !== ing) s.start();
    await Promise.all([...this.services.values()].map((s) => s.ready()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.kill('SIGTERM')));
  }
}

export async function http<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30000),
  });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    // a stream never ends: read what the first moment brings, then hang up
    const reader = res.body!.getReader();
    const first = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    await reader.cancel().catch(() => undefined);
    const chunk = first && !first.done ? Buffer.from(first.value).toString() : '';
    return { status: res.status, body: chunk as unknown as T };
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T };
}

/** The embedded platform (`npm start`) as a child process on `port`, for tests over HTTP. */
export class EmbeddedProcess extends ServiceProcess {
  constructor(port: number, env: NodeJS.ProcessEnv) {
    super('embedded', port, { ...process.env, LIVEPROMO_DEMO: '0', LOG_LEVEL: 'warn', SWC_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json'), ...env });
  }

  override start(): void {
    const root = join(__dirname, '..', '..');
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'tools/embedded/main.ts')], {
      cwd: root,
      env: { ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      this.output.push(b.toString());
      if (this.output.length > 200) this.output.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }
}
