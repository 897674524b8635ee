import { validateCanonicalEvent } from '@livepromo/contracts';
import { discardOutcome, importOutcomeNotice } from './import-outcome-notice';

describe('importOutcomeNotice', () => {
  it('sums the per-outcome counts so that total = clean + duplicate + dead letters + discards, and is a valid event', () => {
    const n = importOutcomeNotice(
      'shop-a',
      'job_1',
      [
        { outcome: 'clean', n: 90 },
        { outcome: 'duplicate', n: 5 },
        { outcome: 'dead_lettered:schema_violation', n: 3 },
        { outcome: 'dead_lettered:format_violation', n: 1 },
        { outcome: 'discarded:bot_traffic', n: 1 },
      ],
      '2026-12-01T00:00:00.000Z',
    );
    expect(n.payload).toEqual({ streamId: 'job_1', total: 100, clean: 90, duplicate: 5, deadLettered: { schema_violation: 3, format_violation: 1 }, discarded: { bot_traffic: 1 } });
    expect(n.eventId).toBe('impout-job_1-100');
    expect(validateCanonicalEvent(n).ok).toBe(true);
  });

  it('buckets both duplicate reasons as duplicate and keeps other discard reasons', () => {
    expect(discardOutcome('duplicate_event_id')).toBe('duplicate');
    expect(discardOutcome('duplicate_fingerprint')).toBe('duplicate');
    expect(discardOutcome('test_account')).toBe('discarded:test_account');
  });
});
