/**
 * Replays a recorded session (JSONL of envelopes) through Kafka at N× speed.
 * node -r @swc-node/register services/content-optimiser/src/cli/replay-session.cli.ts \
 *   --file session.jsonl --speed 10 [--max-gap 5000] [--topic events.clean.v1|ingest.raw.v1]
 * Env: KAFKA_BROKERS, LIVEPROMO_TOPIC_PREFIX. occurredAt is shifted to now + compressed offset.
 */
import { readFileSync } from 'node:fs';
import { KafkaBus } from '@livepromo/messaging';
import { buildReplaySchedule } from '../replay/domain/replay-schedule';

const TOPICS = ['events.clean.v1', 'ingest.raw.v1'] as const;
type ReplayTopic = (typeof TOPICS)[number];

function fail(msg: string): never {
  process.stderr.write(`replay-session: ${msg}\n`);
  process.exit(2);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const file = arg('file') ?? fail('--file <session.jsonl> is required');
  const speed = Number(arg('speed') ?? '1');
  if (!(speed > 0)) fail('--speed must be a positive number');
  const maxGapMs = Number(arg('max-gap') ?? '5000');
  if (!(maxGapMs >= 0)) fail('--max-gap must be a non-negative number of ms');
  const topic = (arg('topic') ?? 'events.clean.v1') as ReplayTopic;
  if (!TOPICS.includes(topic)) fail(`--topic must be one of ${TOPICS.join(', ')}`);
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) fail('KAFKA_BROKERS is not set');
  const events = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        const e = JSON.parse(l) as { occurredAt?: unknown };
        if (typeof e.occurredAt !== 'string') fail(`line ${i + 1}: missing occurredAt`);
        return e as { occurredAt: string };
      } catch {
        return fail(`line ${i + 1}: invalid JSON`);
      }
    });
  const steps = buildReplaySchedule(events, { speed, maxGapMs, startMs: Date.now() });
  const bus = new KafkaBus({ service: 'content-optimiser', brokers, topicPrefix: process.env.LIVEPROMO_TOPIC_PREFIX ?? '' });
  await bus.connect();
  const t0 = Date.now();
  let n = 0;
  for (const s of steps) {
    if (s.sleepMs > 0) await new Promise((r) => setTimeout(r, s.sleepMs));
    await bus.publish(topic, [s.event] as never);
    n += 1;
    process.stderr.write(`\r${n}/${steps.length} published`);
  }
  await bus.close();
  process.stderr.write(`\ndone: ${n} events on ${topic} in ${((Date.now() - t0) / 1000).toFixed(1)} s (speed ${speed}×)\n`);
}

void main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
