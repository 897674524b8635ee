import { createHash } from 'node:crypto';
import type { EventOf } from '@livepromo/contracts';
import type { SessionBotTotals } from '../infrastructure/cleaning.repository';

/**
 * `session.bot_traffic.counted` for one live session: cumulative totals, so a consumer keeps the largest
 * botEventsTotal it has seen and order or redelivery never matters. The event id is a function of the
 * session and the total (the same count announced twice is the same event).
 */
export function botTrafficNotice(t: SessionBotTotals, nowIso: string): EventOf<'session.bot_traffic.counted'> {
  const raw = `bot-${t.liveSessionId}-${t.events}`;
  const eventId = raw.length <= 128 ? raw : `bot-${createHash('sha256').update(`${t.liveSessionId}\u0000${t.events}`).digest('hex')}`;
  return {
    eventId,
    tenantId: t.tenantId,
    type: 'session.bot_traffic.counted',
    source: 'livepromo',
    occurredAt: nowIso,
    receivedAt: nowIso,
    schemaVersion: 1,
    liveSessionId: t.liveSessionId,
    payload: { botEventsTotal: t.events, botUsersTotal: t.users, bySignal: t.bySignal, byType: t.byType },
  };
}

/** Sessions whose bot totals must be announced after a batch: new bot discards, and redelivered live events
 * (their discards may have been recorded by an attempt that crashed before announcing them). */
export function sessionsToAnnounce(
  botDiscards: readonly { tenantId: string; liveSessionId: string | null }[],
  redelivered: readonly { tenantId: string; liveSessionId?: string }[],
): { tenantId: string; liveSessionId: string }[] {
  const seen = new Map<string, { tenantId: string; liveSessionId: string }>();
  for (const s of [...botDiscards, ...redelivered]) {
    if (!s.liveSessionId) continue;
    seen.set(`${s.tenantId}\u0000${s.liveSessionId}`, { tenantId: s.tenantId, liveSessionId: s.liveSessionId });
  }
  return [...seen.values()];
}
