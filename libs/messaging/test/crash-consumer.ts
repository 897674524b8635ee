/**
 * A consumer process for the crash test: consumes events.clean.v1 (with the run's prefix) and
 * applies each event's like count to Postgres idempotently, slowly, so the parent can SIGKILL it
 * mid-stream. Env: KAFKA_BROKERS, DATABASE_URL, PREFIX, SCHEMA, GROUP.
 */
import { Pool } from 'pg';
import { KafkaBus } from '../src';
import { EffectStore } from './effect-store';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const store = new EffectStore(pool, process.env.SCHEMA!);
  const bus = new KafkaBus({ service: 'cleaning', brokers: process.env.KAFKA_BROKERS!.split(','), topicPrefix: process.env.PREFIX, partitionsOverride: 2 });
  await bus.subscribe({
    topic: 'events.clean.v1',
    groupId: process.env.GROUP!,
    maxBatchSize: 50,
    handler: async (batch) => {
      for (const m of batch) {
        if (m.value.type === 'live.like') await store.applyOne(m.value.eventId, m.value.payload.count);
      }
      await new Promise((r) => setTimeout(r, 20));
    },
  });
  process.stdout.write('ready\n');
}

void main();
