import { deterministicEventId } from '@livepromo/contracts';
import { normaliseEnvelope } from './normalise-envelope';
import { parseNdjson } from './ndjson';

const ctx = { tenantId: 'tenant-a', receivedAt: '2026-11-28T12:00:00.000Z', defaultSource: 'generic' as const };
const base = { type: 'live.like', occurredAt: '2026-11-28T10:00:00Z', userId: 'u-1', liveSessionId: 'ls-1', payload: { count: 2 } };

describe('normaliseEnvelope', () => {
  it('fills tenant, receivedAt, source, schemaVersion and a deterministic eventId', () => {
    const r = normaliseEnvelope(base, ctx);
    expect(r).toEqual({
      ok: true,
      event: {
        ...base,
        tenantId: 'tenant-a',
        receivedAt: ctx.receivedAt,
        source: 'generic',
        schemaVersion: 1,
        eventId: deterministicEventId({ ...base, tenantId: 'tenant-a', source: 'generic' }),
      },
    });
    // same logical event, same id; a different payload, a different id
    expect(normaliseEnvelope({ ...base }, { ...ctx, receivedAt: '2026-11-29T00:00:00Z' })).toMatchObject({ event: { eventId: (r as { event: { eventId: string } }).event.eventId } });
    expect(normaliseEnvelope({ ...base, payload: { count: 3 } }, ctx)).not.toMatchObject({ event: { eventId: (r as { event: { eventId: string } }).event.eventId } });
  });

  it('keeps a given eventId and overrides a client receivedAt', () => {
    expect(normaliseEnvelope({ ...base, eventId: 'mine-1', receivedAt: '2000-01-01T00:00:00Z' }, ctx)).toMatchObject({ ok: true, event: { eventId: 'mine-1', receivedAt: ctx.receivedAt } });
  });

  it('rejects an event naming another tenant instead of rewriting it', () => {
    expect(normaliseEnvelope({ ...base, tenantId: 'tenant-b' }, ctx)).toMatchObject({ ok: false, code: 'tenant_mismatch' });
    expect(normaliseEnvelope({ ...base, tenantId: 'tenant-a' }, ctx)).toMatchObject({ ok: true });
  });

  it('rejects wrong types with schema_violation and the offending path', () => {
    const r = normaliseEnvelope({ ...base, occurredAt: 1764324000 }, ctx);
    expect(r).toMatchObject({ ok: false, code: 'schema_violation', issues: [{ path: 'occurredAt' }] });
    expect(normaliseEnvelope(null, ctx)).toMatchObject({ ok: false, code: 'schema_violation' });
  });

  it('pseudonymises userId when asked, before the id is derived', () => {
    const r = normaliseEnvelope(base, { ...ctx, pseudonymise: (u) => `p_${u.length}` });
    expect(r).toMatchObject({ ok: true, event: { userId: 'p_3' } });
  });
});

describe('parseNdjson', () => {
  it('parses each line on its own, skipping blank lines and tolerating CRLF', () => {
    expect(parseNdjson('{"a":1}\r\n\n{bad\n[2]\n')).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: false, line: 3, message: expect.stringContaining('line 3') },
      { ok: true, value: [2] },
    ]);
  });
});
