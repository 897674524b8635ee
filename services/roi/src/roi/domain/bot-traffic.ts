import type { CanonicalEvent } from '@livepromo/contracts';

/** Cleaning's cumulative bot traffic of one live session, as ROI keeps it to say how much traffic was discounted. */
export interface BotTrafficUpdate {
  tenantId: string;
  sessionId: string;
  botEvents: number;
  botUsers: number;
  botRoomEntries: number;
  bySignal: Record<string, number>;
  byType: Record<string, number>;
}

/** The update a quality fact carries (null for other facts on events.quality.v1, or without a session). */
export function botTrafficUpdateOf(e: CanonicalEvent): BotTrafficUpdate | null {
  if (e.type !== 'session.bot_traffic.counted' || !e.liveSessionId) return null;
  return {
    tenantId: e.tenantId,
    sessionId: e.liveSessionId,
    botEvents: e.payload.botEventsTotal,
    botUsers: e.payload.botUsersTotal ?? 0,
    botRoomEntries: e.payload.byType?.['live.room.entered'] ?? 0,
    bySignal: e.payload.bySignal,
    byType: e.payload.byType ?? {},
  };
}
