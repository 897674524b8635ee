import type { CanonicalEvent } from '@livepromo/contracts';
import { makeEvent } from '@livepromo/testing';
import { botTrafficUpdateOf } from './bot-traffic';

const ev = (e: unknown) => e as CanonicalEvent;

describe('bot traffic facts', () => {
  it('takes the cumulative totals of a session, room entries from the per-type breakdown', () => {
    const e = makeEvent('session.bot_traffic.counted', {
      tenantId: 't1',
      liveSessionId: 'ls-1',
      payload: { botEventsTotal: 40, botUsersTotal: 3, bySignal: { rate: 40 }, byType: { 'live.room.entered': 7, 'live.like': 33 } },
    });
    expect(botTrafficUpdateOf(ev(e))).toEqual({
      tenantId: 't1',
      sessionId: 'ls-1',
      botEvents: 40,
      botUsers: 3,
      botRoomEntries: 7,
      bySignal: { rate: 40 },
      byType: { 'live.room.entered': 7, 'live.like': 33 },
    });
  });

  it('ignores other quality facts and facts without a session', () => {
    expect(botTrafficUpdateOf(ev(makeEvent('import.outcome.counted')))).toBeNull();
    const noSession = { ...makeEvent('session.bot_traffic.counted'), liveSessionId: undefined };
    expect(botTrafficUpdateOf(ev(noSession))).toBeNull();
  });
});
