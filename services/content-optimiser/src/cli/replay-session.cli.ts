/**
 * Replays a recorded session (JSONL of envelopes) through Kafka at N× speed.
 * node -r @swc-node/register services/content-optimiser/src/cli/replay-session.cli.ts \
 *   --file session.jsonl --speed 10 [--max-gap 5000] [--topic events.clean.v1|ingest.raw.v1]
 * Env: KAFKA_BROKERS, LIVEPROMO_TOPIC_PREFIX. occurredAt is shifted to now + compressed offset.
 */
import { readFileSync } from 'node:fs';
import { KafkaBus, kafkaSecurityFromEnv } from '@livepromo/messaging';
import { choiceOption, DataError, numberOption, parseCli, runCli, UsageError } from '@livepromo/io';
import { buildReplaySchedule } from '../replay/domain/replay-schedule';

const TOPICS = ['events.clean.v1', 'ingest.raw.v1'] as const;

const USAGE = `replay-session: replays a recorded session (JSONL of envelopes) through Kafka at N× speed
  --file FILE        session.jsonl (required)
  --speed N          speed-up factor, > 0 (default 1)
  --max-gap MS       longest pause kept between two events, in ms, >= 0 (default 5000)
  --topic TOPIC      events.clean.v1 | ingest.raw.v1 (default events.clean.v1)
  -h, --help         this text
Env: KAFKA_BROKERS, LIVEPROMO_TOPIC_PREFIX, and KAFKA_SSL/KAFKA_SASL_* for a secured cluster.
Exit codes: 0 done (and --help), 1 unusable file, 2 bad options.`;

async function main(): Promise<'help' | void> {
  const args = parseCli(process.argv.slice(2), {
    file: { type: 'string' },
    speed: { type: 'string' },
    'max-gap': { type: 'string' },
    topic: { type: 'string' },
  });
  if (!args) return 'help';
  const file = args.values.file ?? fail('--file <session.jsonl> is required');
  const speed = numberOption('speed', args.values.speed, 1, { min: 0, exclusiveMin: true });
  const maxGapMs = numberOption('max-gap', args.values['max-gap'], 5000, { min: 0 });
  const topic = choiceOption('topic', args.values.topic, TOPICS, 'events.clean.v1');
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) fail('KAFKA_BROKERS is not set');
  const events = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      let e: { occurredAt?: unknown };
      try {
        e = JSON.parse(l) as { occurredAt?: unknown };
      } catch {
        throw new DataError(`line ${i + 1}: invalid JSON`);
      }
      if (typeof e.occurredAt !== 'string') throw new DataError(`line ${i + 1}: missing occurredAt`);
      return e as { occurredAt: string };
    });
  const steps = buildReplaySchedule(events, { speed, maxGapMs, startMs: Date.now() });
  const bus = new KafkaBus({
    service: 'content-optimiser',
    brokers,
    topicPrefix: process.env.LIVEPROMO_TOPIC_PREFIX ?? '',
    security: kafkaSecurityFromEnv(process.env),
  });
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

function fail(msg: string): never {
  throw new UsageError(msg);
}

runCli('replay-session', USAGE, main);
