import { validateCanonicalEvent } from '@livepromo/contracts';
import { botTrafficNotice, sessionsToAnnounce } from './bot-traffic-notice';

describe('botTrafficNotice', () => {
  const totals = { tenantId: 't1', liveSessionId: 'ls-1', events: 7, users: 2, bySignal: { rate: 5, link_spam: 2 }, byType: { 'live.like': 5, 'live.comment.posted': 2 } };

  it('is a valid session.bot_traffic.counted whose id is a function of session and total', () => {
    const n = botTrafficNotice(totals, '2026-11-28T10:00:00.000Z');
    expect(validateCanonicalEvent(n).ok).toBe(true);
    expect(n.eventId).toBe('bot-ls-1-7');
    expect(botTrafficNotice({ ...totals }, '2026-11-28T11:00:00.000Z').eventId).toBe(n.eventId);
    expect(botTrafficNotice({ ...totals, events: 8 }, '2026-11-28T10:00:00.000Z').eventId).not.toBe(n.eventId);
    expect(n.payload).toEqual({ botEventsTotal: 7, botUsersTotal: 2, bySignal: totals.bySignal, byType: totals.byType });
  });

  it('hashes ids that would exceed the envelope limit', () => {
    const n = botTrafficNotice({ ...totals, liveSessionId: 'x'.repeat(128) }, '2026-11-28T10:00:00.000Z');
    expect(n.eventId.length).toBeLessThanOrEqual(128);
    expect(n.eventId).toMatch(/^bot-[0-9a-f]{64}$/);
  });
});

describe('sessionsToAnnounce', () => {
  it('takes bot discards and redelivered live events, once per tenant and session', () => {
    expect(
      sessionsToAnnounce(
        [
          { tenantId: 't1', liveSessionId: 'a' },
          { tenantId: 't1', liveSessionId: 'a' },
          { tenantId: 't2', liveSessionId: 'a' },
          { tenantId: 't1', liveSessionId: null },
        ],
        [{ tenantId: 't1', liveSessionId: 'b' }, { tenantId: 't1' }, { tenantId: 't1', liveSessionId: 'a' }],
      ),
    ).toEqual([
      { tenantId: 't1', liveSessionId: 'a' },
      { tenantId: 't2', liveSessionId: 'a' },
      { tenantId: 't1', liveSessionId: 'b' },
    ]);
  });
});
