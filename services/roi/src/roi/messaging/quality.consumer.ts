import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { BotTrafficRepository, BotTrafficUpdate } from '../infrastructure/bot-traffic.repository';

/**
 * Consumes `events.quality.v1`: cleaning's cumulative bot traffic per live session, kept so reports can say
 * how much traffic was discounted. Idempotent (largest total wins), so redelivery is harmless.
 */
@Injectable()
export class QualityConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(BotTrafficRepository) private readonly repo: BotTrafficRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.quality.v1',
      groupId: 'roi.quality',
      handler: async (batch) => {
        const updates: BotTrafficUpdate[] = [];
        for (const { value: e } of batch) {
          if (e.type !== 'session.bot_traffic.counted' || !e.liveSessionId) continue;
          updates.push({
            tenantId: e.tenantId,
            sessionId: e.liveSessionId,
            botEvents: e.payload.botEventsTotal,
            botUsers: e.payload.botUsersTotal ?? 0,
            botRoomEntries: e.payload.byType?.['live.room.entered'] ?? 0,
            bySignal: e.payload.bySignal,
            byType: e.payload.byType ?? {},
          });
        }
        await this.repo.upsert(updates);
      },
    });
  }
}
