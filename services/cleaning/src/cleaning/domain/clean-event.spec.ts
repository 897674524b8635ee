import { RawEvent } from '@livepromo/contracts';
import { cleanRawEvent, CleaningPolicy, predatesErasure, watchLongerThanSession } from './clean-event';

const policy: CleaningPolicy = {
  maxEventBytes: 4096,
  defaultCurrency: 'CNY',
  fxToCny: { CNY: 1, USD: 7.1 },
  naiveOffsetMinutes: 480,
  onTimeMs: 5 * 60_000,
  allowedLatenessMs: 24 * 3600_000,
  futureSkewMs: 120_000,
  maxSessionSec: 86_400,
};

const raw = (o: Partial<RawEvent> = {}): RawEvent => ({
  eventId: 'e-1',
  tenantId: 'tenant-a',
  type: 'order.paid',
  source: 'douyin',
  occurredAt: '2026-11-28T10:00:00+08:00',
  receivedAt: '2026-11-28T02:00:01Z',
  userId: 'u-1',
  schemaVersion: 1,
  payload: { orderId: 'o-1', amount: '199.90' },
  ...o,
});

describe('cleanRawEvent', () => {
  it('normalises timestamps to UTC, money to minor units and text to NFKC, and validates', () => {
    const v = cleanRawEvent(raw({ payload: { orderId: ' o-1 ', amount: 19.99, currency: 'USD', category: 'programming' } }), 300, policy);
    expect(v).toMatchObject({ ok: true, occurredAtMs: Date.parse('2026-11-28T02:00:00Z'), cnyMinor: 14193 });
    if (!v.ok) throw new Error('expected ok');
    expect(v.event.occurredAt).toBe('2026-11-28T02:00:00.000Z');
    expect(v.event.receivedAt).toBe('2026-11-28T02:00:01.000Z');
    expect(v.event.payload).toEqual({ orderId: 'o-1', amount: { amountMinor: 1999, currency: 'USD' }, category: 'programming' });
    expect(v.event.late).toBeUndefined();
  });

  it('normalises payload timestamps given as epoch seconds', () => {
    const v = cleanRawEvent(raw({ type: 'live.session.started', liveSessionId: 'ls', payload: { title: ' Ｐｙｔｈｏｎ ', scheduledEndAt: 1795837200 } }), 300, policy);
    // 1795831200 s = 2026-11-28T02:00:00Z (1764295200 + 365 days); +6000 s = 03:40
    expect(v.ok && v.event.payload).toEqual({ title: 'Python', scheduledEndAt: '2026-11-28T03:40:00.000Z' });
  });

  it.each([
    [{ type: 'no.such.type' }, 'unknown_type'],
    [{ type: 'roi.updated' }, 'unknown_type'],
    [{ source: 'myspace' as RawEvent['source'] }, 'unknown_source'],
    [{ payload: { orderId: 'o-1' } }, 'schema_violation'],
    [{ payload: { orderId: 'o-1', amount: 'lots' } }, 'format_violation'],
    [{ payload: { orderId: 'o-1', amount: -5 } }, 'impossible_value'],
    [{ payload: { orderId: 'o-1', amount: { amount: 5, currency: 'GBP' } } }, 'unknown_currency'],
    [{ type: 'live.room.left', payload: { watchSec: 100_000 } }, 'impossible_value'],
    [{ occurredAt: '2026-11-28T02:10:00Z' }, 'future_timestamp'],
    [{ occurredAt: '2026-11-26T02:00:00Z' }, 'too_late'],
  ])('rejects %j with %s', (over, code) => {
    const v = cleanRawEvent(raw(over), 300, policy);
    expect(v.ok ? 'ok' : v.code).toBe(code);
  });

  it('rejects an event above the size limit with size_violation', () => {
    const v = cleanRawEvent(raw(), 5000, policy);
    expect(v.ok ? 'ok' : v.code).toBe('size_violation');
  });

  it('accepts an event within the allowed lateness and marks it late', () => {
    const v = cleanRawEvent(raw({ occurredAt: '2026-11-28T01:00:00Z' }), 300, policy);
    expect(v.ok && v.event.late).toBe(true);
  });

  it('a backfill event (ingest.mode backfill) two years old is clean, not too_late, and not marked late; the future check still applies', () => {
    const old = cleanRawEvent(raw({ occurredAt: '2024-11-28T02:00:00Z', ingest: { mode: 'backfill', streamId: 'job_x' } }), 300, policy);
    expect(old.ok).toBe(true);
    expect(old.ok && old.event.late).toBeUndefined();
    expect(old.ok && old.event.ingest).toEqual({ mode: 'backfill', streamId: 'job_x' });
    const live = cleanRawEvent(raw({ occurredAt: '2024-11-28T02:00:00Z', ingest: { mode: 'live' } }), 300, policy);
    expect(live.ok ? 'ok' : live.code).toBe('too_late');
    const future = cleanRawEvent(raw({ occurredAt: '2026-11-29T02:00:00Z', ingest: { mode: 'backfill' } }), 300, policy);
    expect(future.ok ? 'ok' : future.code).toBe('future_timestamp');
  });

  it('accepts up to the future skew', () => {
    const v = cleanRawEvent(raw({ occurredAt: '2026-11-28T02:02:00Z' }), 300, policy);
    expect(v.ok).toBe(true);
  });
});

describe('watchLongerThanSession', () => {
  it('compares watch time with the time since the session started, plus skew', () => {
    // session started 600 s before the leave; 600 s watch is fine, 700 s is not (skew 60 s)
    expect(watchLongerThanSession(600, 600_000, 0, 60_000)).toBe(false);
    expect(watchLongerThanSession(659, 600_000, 0, 60_000)).toBe(false);
    expect(watchLongerThanSession(700, 600_000, 0, 60_000)).toBe(true);
    expect(watchLongerThanSession(700, 600_000, null, 60_000)).toBe(false);
  });
});

describe('predatesErasure (erased_user)', () => {
  const erasedAt = Date.parse('2026-12-01T03:00:00.000Z');
  it('discards an event that happened at or before the erasure, passes one after it and users without a tombstone', () => {
    expect(predatesErasure(erasedAt - 3_600_000, erasedAt)).toBe(true);
    expect(predatesErasure(erasedAt, erasedAt)).toBe(true);
    expect(predatesErasure(erasedAt + 1, erasedAt)).toBe(false);
    expect(predatesErasure(erasedAt - 3_600_000, null)).toBe(false);
  });
});
