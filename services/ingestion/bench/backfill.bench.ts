/**
 * Backfill throughput to clean data (#17), with a kafkajs pass-through as the yardstick in the same run.
 * Writes bench/results/backfill.json.
 *
 *   npm run bench -- backfill        (or: node -r @swc-node/register services/ingestion/bench/backfill.bench.ts)
 *
 * 1. backfill: ingestion and cleaning as processes (as in test/e2e), one REES46-format CSV of BENCH_ROWS rows
 *    dated two years ago uploaded to POST /v1/import-jobs; the clock runs from the upload to the moment the
 *    job status says cleaning has accounted for every accepted event (pipeline.state = complete, polled every
 *    250 ms): rows/s to clean data. The job's own sending rate (progress.rowsPerSec) is recorded too.
 * 2. yardstick: the same number of messages, of the same size as the raw envelopes, through the two Kafka hops
 *    the data takes (produce to topic A with acks=all in 1,000-message sends; a kafkajs consumer forwards A → B
 *    with acks=all and commits per chunk), nothing else: rows/s from the first send to the last forward.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { uniquePrefix, waitFor } from '@livepromo/testing';

const N = Number(process.env.BENCH_ROWS ?? 30000);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const infra = { kafkaBrokers: brokers, databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', origin: 'environment' as const };
const prefix = uniquePrefix('benchbf');
const kafka = new Kafka({ clientId: 'backfill-bench', brokers, logLevel: logLevel.NOTHING });
const OPERATOR_TOKEN = 'bench-operator-token-0123456789';
const root = path.join(__dirname, '..', '..', '..');

/** A service as a child process (as in test/e2e), isolated by the run prefix. */
class Service {
  child: ChildProcess | null = null;
  output: string[] = [];
  constructor(
    readonly name: string,
    readonly port: number,
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'services', this.name, 'src/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(this.port),
        KAFKA_BROKERS: brokers.join(','),
        DATABASE_URL: infra.databaseUrl,
        REDIS_URL: infra.redisUrl,
        LOG_LEVEL: 'warn',
        LIVEPROMO_TOPIC_PREFIX: prefix,
        LIVEPROMO_SCHEMA_PREFIX: prefix.replace(/[^a-z0-9_]/g, '_'),
        KAFKA_PARTITIONS: '2',
        OPERATOR_TOKEN,
        SECRET_ENCRYPTION_KEY: 'bench-secret-encryption-key-0123456789',
        SWC_NODE_PROJECT: path.join(root, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      this.output.push(b.toString());
      if (this.output.length > 100) this.output.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    await waitFor(`${this.name} ready`, async () => {
      if (this.child?.exitCode !== null) throw new Error(`${this.name} exited: ${this.output.join('').slice(-2000)}`);
      return (await fetch(`${this.url}/health/ready`).catch(() => null))?.status === 200;
    }, 180_000, 250);
  }
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
}

function csv(): Buffer {
  const day0 = Date.parse(new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10));
  const rows = ['event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session'];
  const types = ['view', 'view', 'view', 'view', 'cart', 'purchase'];
  for (let i = 0; i < N; i++) {
    const at = new Date(day0 + i * 7_000).toISOString().replace('T', ' ').slice(0, 19);
    rows.push(`${at} UTC,${types[i % 6]},${1000 + (i % 300)},2053013555631882655,electronics.smartphone,brand,${(i % 900) + 1}.99,${500000 + (i % 4000)},sess-${i % 9000}`);
  }
  return Buffer.from(`${rows.join('\n')}\n`);
}

async function backfill(ing: string, file: Buffer) {
  const created = await fetch(`${ing}/v1/admin/tenants`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-operator-token': OPERATOR_TOKEN }, body: JSON.stringify({ tenantId: 'bench-bf', name: 'bench' }) });
  const key = ((await created.json()) as { apiKey: { key: string } }).apiKey.key;
  const auth = { authorization: `Bearer ${key}` };
  // cleaning learns the key from tenants.keys.v1; the import itself needs only ingestion's
  const t0 = performance.now();
  const res = await fetch(`${ing}/v1/import-jobs?mapping=rees46`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: file });
  if (res.status !== 202) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  const { jobId } = (await res.json()) as { jobId: string };
  let sentAt = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const job = (await (await fetch(`${ing}/v1/import-jobs/${jobId}`, { headers: auth })).json()) as {
      status: string;
      counts: { accepted: number; rejected: number };
      progress: { rowsPerSec: number };
      pipeline: { state: string; clean: number; duplicate: number; deadLettered: Record<string, number>; discarded: Record<string, number> };
    };
    if (job.status !== 'running' && !sentAt) sentAt = performance.now();
    if (job.status === 'failed') throw new Error(`job failed: ${JSON.stringify(job)}`);
    if (job.pipeline.state === 'complete') {
      const seconds = (performance.now() - t0) / 1000;
      return {
        rowsPerSecToClean: Math.round(N / seconds),
        secondsToClean: Number(seconds.toFixed(2)),
        sendingRowsPerSec: job.progress.rowsPerSec,
        secondsUntilSent: Number(((sentAt - t0) / 1000).toFixed(2)),
        accepted: job.counts.accepted,
        rejected: job.counts.rejected,
        clean: job.pipeline.clean,
        duplicate: job.pipeline.duplicate,
        deadLettered: job.pipeline.deadLettered,
        discarded: job.pipeline.discarded,
      };
    }
  }
}

async function passThrough(messageBytes: number) {
  const a = `${prefix}pt.a`;
  const b = `${prefix}pt.b`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [a, b].map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })), waitForLeaders: true });
  const value = Buffer.alloc(messageBytes, 'x');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const forwarder = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${prefix}pt`, maxBytesPerPartition: 1 << 20 });
  await Promise.all([producer.connect(), forwarder.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: a, fromBeginning: true });
  let done = 0;
  let end = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((r) => (finished = r));
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (let i = 0; i < batch.messages.length; i += 500) {
        const chunk = batch.messages.slice(i, i + 500);
        await forwarder.send({ topic: b, acks: -1, messages: chunk.map((m) => ({ key: m.key, value: m.value })) });
        const last = chunk[chunk.length - 1].offset;
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
        done += chunk.length;
      }
      if (done >= N && !end) {
        end = performance.now();
        finished();
      }
    },
  });
  await new Promise((r) => setTimeout(r, 3000)); // group join, outside the clock
  const t0 = performance.now();
  for (let i = 0; i < N; i += 1000) {
    await producer.send({ topic: a, acks: -1, messages: Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ key: `k${(i + k) % 4000}`, value })) });
  }
  await allDone;
  await Promise.all([producer.disconnect(), forwarder.disconnect(), consumer.disconnect()]);
  await admin.deleteTopics({ topics: [a, b] }).catch(() => undefined);
  await admin.disconnect();
  const seconds = (end - t0) / 1000;
  return { rowsPerSec: Math.round(N / seconds), seconds: Number(seconds.toFixed(2)), messageBytes };
}

async function main() {
  const file = csv();
  const base = 5400 + Math.floor(Math.random() * 50) * 10;
  const ingestion = new Service('ingestion', base);
  const cleaning = new Service('cleaning', base + 1);
  const load0 = os.loadavg()[0];
  let result;
  try {
    await ingestion.start(); // provisions the topics
    await cleaning.start();
    result = await backfill(ingestion.url, file);
  } finally {
    await Promise.all([ingestion.stop(), cleaning.stop()]);
  }
  // a raw envelope of this export is ~420 bytes on ingest.raw.v1
  const yardstick = await passThrough(420);
  const out = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'})`,
    loadAverage: { before: Number(load0.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) },
    rows: N,
    backfill: result,
    kafkajsPassThrough: yardstick,
    ratioToPassThrough: Number((result.rowsPerSecToClean / yardstick.rowsPerSec).toFixed(3)),
    method:
      'backfill = rows / seconds from the upload (POST /v1/import-jobs, REES46 CSV dated two years ago) until the job reports cleaning accounted for every accepted event (pipeline complete; polled every 250 ms); ingestion and cleaning as separate processes on real Kafka/Postgres/Redis. ' +
      'kafkajsPassThrough = the same number of ~420-byte messages through two Kafka hops and nothing else: produce (acks=all, 1,000 per send) to A, a kafkajs consumer forwards A → B (acks=all, commit per 500). Same run, same machine.',
  };
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'backfill.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`backfill bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
