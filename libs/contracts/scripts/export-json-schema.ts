/**
 * Writes JSON Schema (draft 2020-12) for every event type, the raw envelope and the dead letter
 * to docs/contracts/, plus an index with the topic registry, so that systems in other languages
 * can validate what they send. Usage: npm run contracts:export [-- --out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { deadLetterSchema, envelopeSchemas, EVENT_TYPES, rawEventSchema, TOPIC_NAMES, TOPICS, EXTERNAL_EVENT_TYPES } from '../src';

export function exportSchemas(outDir: string): string[] {
  mkdirSync(join(outDir, 'events'), { recursive: true });
  const written: string[] = [];
  const write = (rel: string, schema: z.ZodType, title: string) => {
    const json = { $id: `https://livepromo.dev/contracts/${rel}`, title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
    writeFileSync(join(outDir, rel), JSON.stringify(json, null, 2) + '\n');
    written.push(rel);
  };
  for (const type of EVENT_TYPES) write(`events/${type}.schema.json`, envelopeSchemas[type], `livepromo event ${type}`);
  write('raw-event.schema.json', rawEventSchema, 'livepromo raw envelope (ingest.raw.v1)');
  write('dead-letter.schema.json', deadLetterSchema, 'livepromo dead letter (events.dlq.v1)');
  const index = {
    generatedBy: 'npm run contracts:export',
    externalEventTypes: EXTERNAL_EVENT_TYPES,
    eventTypes: EVENT_TYPES.map((t) => ({ type: t, schema: `events/${t}.schema.json` })),
    topics: TOPIC_NAMES.map((t) => ({ name: t, ...TOPICS[t] })),
  };
  writeFileSync(join(outDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  written.push('index.json');
  return written;
}

if (require.main === module) {
  const i = process.argv.indexOf('--out');
  const out = resolve(i > 0 ? process.argv[i + 1] : join(__dirname, '..', '..', '..', 'docs', 'contracts'));
  const files = exportSchemas(out);
  process.stdout.write(`wrote ${files.length} schema files to ${out}\n`);
}
