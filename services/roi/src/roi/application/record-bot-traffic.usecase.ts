import { Inject, Injectable } from '@nestjs/common';
import type { CanonicalEvent } from '@livepromo/contracts';
import { BotTrafficUpdate, botTrafficUpdateOf } from '../domain/bot-traffic';
import { BotTrafficRepository } from '../infrastructure/bot-traffic.repository';

/** Keeps cleaning's per-session bot totals; idempotent (the largest cumulative total wins), so redelivery is harmless. */
@Injectable()
export class RecordBotTrafficUseCase {
  constructor(@Inject(BotTrafficRepository) private readonly repo: BotTrafficRepository) {}

  async execute(facts: readonly CanonicalEvent[]): Promise<void> {
    const updates = facts.map(botTrafficUpdateOf).filter((u): u is BotTrafficUpdate => u !== null);
    await this.repo.upsert(updates);
  }
}
