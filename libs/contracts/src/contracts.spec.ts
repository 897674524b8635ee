import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_PAYLOADS, makeEvent } from '@livepromo/testing';
import { exportSchemas } from '../scripts/export-json-schema';
import {
  deterministicEventId,
  EVENT_TYPES,
  keyForTopic,
  RejectionCode,
  TOPIC_NAMES,
  TOPICS,
  topicSchema,
  validateCanonicalEvent,
  validateRawEvent,
} from './index';

describe('canonical events', () => {
  it.each(EVENT_TYPES)('accepts a well-formed %s and fills schemaVersion', (type) => {
    const { schemaVersion: _omit, ...input } = makeEvent(type) as Record<string, unknown>;
    const r = validateCanonicalEvent(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.schemaVersion).toBe(1);
  });

  it('rejects an unknown type with unknown_type', () => {
    const r = validateCanonicalEvent({ ...makeEvent('live.like'), type: 'live.teleport' });
    expect(r).toMatchObject({ ok: false, code: RejectionCode.UnknownType });
  });

  it('rejects money given as a float with schema_violation naming the field', () => {
    const e = makeEvent('order.paid');
    const r = validateCanonicalEvent({ ...e, payload: { ...SAMPLE_PAYLOADS['order.paid'], amount: { amountMinor: 179.5, currency: 'CNY' } } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(RejectionCode.SchemaViolation);
      expect(r.issues.map((i) => i.path)).toContain('payload.amount.amountMinor');
    }
  });

  it('rejects a timestamp without an offset', () => {
    const r = validateCanonicalEvent({ ...makeEvent('live.like'), occurredAt: '2026-11-28 10:00:00' });
    expect(r.ok).toBe(false);
  });

  it('raw envelope leaves the payload to cleaning but checks the envelope', () => {
    expect(validateRawEvent({ ...makeEvent('live.like'), type: 'whatever', payload: { anything: 1 } }).ok).toBe(true);
    const bad = validateRawEvent({ ...makeEvent('live.like'), tenantId: 'UPPER CASE' });
    expect(bad.ok).toBe(false);
  });
});

describe('topic registry', () => {
  it('every topic has a positive partition count and at least one producer', () => {
    for (const t of TOPIC_NAMES) {
      expect(TOPICS[t].partitions).toBeGreaterThan(0);
      expect(TOPICS[t].producers.length).toBeGreaterThan(0);
    }
  });

  it('keys live events by tenant:session and other user events by tenant:user', () => {
    expect(keyForTopic('events.clean.v1', makeEvent('live.like', { tenantId: 'acme', liveSessionId: 'ls-9' }) as never)).toBe('acme:ls-9');
    expect(keyForTopic('events.clean.v1', makeEvent('course.viewed', { tenantId: 'acme', userId: 'u-7', liveSessionId: undefined }) as never)).toBe('acme:u-7');
  });

  it('refuses a derived event type on the clean topic', () => {
    const r = topicSchema('events.clean.v1').safeParse(makeEvent('roi.updated'));
    expect(r.success).toBe(false);
  });
});

describe('deterministic event ids', () => {
  it('gives the same id for the same logical event whatever the key order, and a different one otherwise', () => {
    const base = { tenantId: 't1', type: 'live.like', source: 'generic', occurredAt: '2026-11-28T10:00:00Z', userId: 'u1' };
    const a = deterministicEventId({ ...base, payload: { count: 1, x: { b: 2, a: 1 } } });
    const b = deterministicEventId({ ...base, payload: { x: { a: 1, b: 2 }, count: 1 } });
    const c = deterministicEventId({ ...base, payload: { count: 2, x: { a: 1, b: 2 } } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe('JSON Schema export', () => {
  const out = mkdtempSync(join(tmpdir(), 'lp-contracts-'));
  const files = exportSchemas(out);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);

  it('writes one schema per event type plus raw envelope, dead letter and index', () => {
    expect(files).toHaveLength(EVENT_TYPES.length + 3);
  });

  it.each(EVENT_TYPES)('the exported %s schema accepts the sample and rejects a broken one', (type) => {
    const schema = JSON.parse(readFileSync(join(out, 'events', `${type}.schema.json`), 'utf8')) as object;
    const validate = ajv.compile(schema);
    expect(validate(makeEvent(type))).toBe(true);
    expect(validate({ ...makeEvent(type), eventId: '' })).toBe(false);
  });

  it('docs/contracts in the repository is up to date with the code', () => {
    for (const f of files) {
      const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'contracts', f), 'utf8');
      expect(committed).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });
});
