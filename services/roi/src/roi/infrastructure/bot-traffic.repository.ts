import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { BotTrafficUpdate } from '../domain/bot-traffic';
export type { BotTrafficUpdate };

/** Write side of `bot_traffic`: cumulative per-session totals, the largest total wins (with its breakdown). */
@Injectable()
export class BotTrafficRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async upsert(updates: readonly BotTrafficUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    // one row per session in the statement (ON CONFLICT cannot touch a row twice): keep each session's largest
    const best = new Map<string, BotTrafficUpdate>();
    for (const u of updates) {
      const k = `${u.tenantId}\u0000${u.sessionId}`;
      const prev = best.get(k);
      if (!prev || u.botEvents > prev.botEvents) best.set(k, u);
    }
    const rows = [...best.values()];
    const params: unknown[] = [];
    const values = rows.map((u) => {
      const at = params.push(
        u.tenantId,
        u.sessionId,
        u.botEvents,
        u.botUsers,
        u.botRoomEntries,
        JSON.stringify(u.bySignal),
        JSON.stringify(u.byType),
      );
      const i = at - 6;
      return `($${i}, $${i + 1}, $${i + 2}, $${i + 3}, $${i + 4}, $${i + 5}::jsonb, $${i + 6}::jsonb)`;
    });
    await this.ds.query(
      `INSERT INTO bot_traffic AS b (tenant_id, session_id, bot_events, bot_users, bot_room_entries, by_signal, by_type)
       VALUES ${values.join(', ')}
       ON CONFLICT (tenant_id, session_id) DO UPDATE SET
         bot_events = EXCLUDED.bot_events, bot_users = EXCLUDED.bot_users, bot_room_entries = EXCLUDED.bot_room_entries,
         by_signal = EXCLUDED.by_signal, by_type = EXCLUDED.by_type, updated_at = now()
       WHERE EXCLUDED.bot_events > b.bot_events`,
      params,
    );
  }
}
