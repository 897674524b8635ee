import { Inject, Injectable } from '@nestjs/common';
import { EventOf } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { JsonLogger } from '@livepromo/observability';
import { ProfileCache } from '../infrastructure/profile.cache';
import { OutboxNotice, ProfileRepository } from '../infrastructure/profile.repository';

/** Largest userIds list of one `profile.updated` (the contract's bound). */
const MAX_IDS_PER_NOTICE = 10_000;
/** The relay only takes notices older than this, so it does not race the normal after-commit path. */
export const RELAY_MIN_AGE_MS = 5_000;

/**
 * `profile.updated` through a transactional outbox: notices are queued in the batch transaction,
 * delivered (cache keys deleted, one message per tenant) right after commit, and whatever a crash
 * or a Kafka outage left queued is delivered by `relay()`. The event id is derived from the
 * outbox row, so a notice delivered twice carries the same id.
 */
@Injectable()
export class ProfileNoticesService {
  constructor(
    @Inject(ProfileRepository) private readonly repo: ProfileRepository,
    @Inject(ProfileCache) private readonly cache: ProfileCache,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  /** One notice per tenant (chunked at the contract's bound), version = the newest profile version. */
  plan(rows: readonly { tenantId: string; userId: string; version: number }[]): Omit<OutboxNotice, 'id'>[] {
    const byTenant = new Map<string, { userId: string; version: number }[]>();
    for (const r of rows) {
      const list = byTenant.get(r.tenantId);
      if (list) list.push(r);
      else byTenant.set(r.tenantId, [r]);
    }
    const out: Omit<OutboxNotice, 'id'>[] = [];
    for (const [tenantId, list] of byTenant) {
      for (let i = 0; i < list.length; i += MAX_IDS_PER_NOTICE) {
        const chunk = list.slice(i, i + MAX_IDS_PER_NOTICE);
        out.push({ tenantId, userIds: chunk.map((r) => r.userId), version: Math.max(...chunk.map((r) => r.version)) });
      }
    }
    return out;
  }

  /** Right after commit. A failure is logged, not thrown: the rows stay queued for the relay. */
  async afterCommit(notices: OutboxNotice[]): Promise<void> {
    if (notices.length === 0) return;
    try {
      await this.deliver(notices);
      await this.repo.deleteNotices(notices.map((n) => n.id));
    } catch (e) {
      this.log.warn('profile notices left for the outbox relay', { error: e instanceof Error ? e.message : String(e), count: notices.length });
    }
  }

  /** Delivers queued notices older than RELAY_MIN_AGE_MS; returns how many. */
  relay(limit = 200): Promise<number> {
    return this.repo.relayNotices(new Date(Date.now() - RELAY_MIN_AGE_MS), limit, (notices) => this.deliver(notices));
  }

  private async deliver(notices: OutboxNotice[]): Promise<void> {
    await this.cache.invalidateProfiles(notices.flatMap((n) => n.userIds.map((userId) => ({ tenantId: n.tenantId, userId }))));
    const now = new Date().toISOString();
    const messages: EventOf<'profile.updated'>[] = notices
      .filter((n) => n.userIds.length > 0)
      .map((n) => ({
        eventId: `profile-updated-${n.id}-${n.version}`,
        tenantId: n.tenantId,
        type: 'profile.updated',
        source: 'livepromo',
        occurredAt: now,
        receivedAt: now,
        schemaVersion: 1,
        payload: { userIds: n.userIds, version: n.version },
      }));
    await this.bus.publish('profiles.updated.v1', messages);
  }
}
