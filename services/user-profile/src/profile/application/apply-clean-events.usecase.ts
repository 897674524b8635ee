import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { CanonicalEvent, COURSE_CATEGORIES, CourseCategory } from '@livepromo/contracts';
import { Metrics } from '@livepromo/observability';
import { affectsProfile, applyEvent, emptyProfileState, erasedUserHash, topCategoryOf } from '../domain';
import { OutboxNotice, ProfileKey, ProfileRepository, ProfileRowWrite } from '../infrastructure/profile.repository';
import { PROFILE_CONFIG, ProfileConfig } from '../profile.config';
import { ProfileNoticesService } from './profile-notices.service';

const k2 = (a: string, b: string) => `${a}\u0000${b}`;

interface Written {
  rows: ProfileRowWrite[];
  notices: OutboxNotice[];
  duplicates: number;
  applied: number;
}
const nothingWritten = (duplicates: number): Written => ({ rows: [], notices: [], duplicates, applied: 0 });

export interface ApplyOutcome {
  applied: number;
  duplicates: number;
  profiles: number;
}

/**
 * Applies one consumed batch of clean events: records event ids and folds the new events into
 * the profiles in one transaction (so a redelivered batch changes nothing) together with the
 * coalesced `profile.updated` notices (outbox), then delivers them: cache keys deleted, one message per tenant.
 */
@Injectable()
export class ApplyCleanEventsUseCase {
  private readonly appliedCounter: Counter<'outcome'>;

  constructor(
    @Inject(ProfileRepository) private readonly repo: ProfileRepository,
    @Inject(ProfileNoticesService) private readonly notices: ProfileNoticesService,
    @Inject(PROFILE_CONFIG) private readonly config: ProfileConfig,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.appliedCounter = metrics.counter('livepromo_profile_events_total', 'Clean events seen by the profile consumer', ['outcome']);
  }

  async execute(events: readonly CanonicalEvent[]): Promise<ApplyOutcome> {
    const sessions = new Map<string, { tenantId: string; sessionId: string; category: string }>();
    for (const e of events) {
      if (e.type === 'live.session.started' && e.liveSessionId && e.payload.category) {
        sessions.set(k2(e.tenantId, e.liveSessionId), { tenantId: e.tenantId, sessionId: e.liveSessionId, category: e.payload.category });
      }
    }
    const relevant = events.filter(affectsProfile);
    if (sessions.size === 0 && relevant.length === 0) return { applied: 0, duplicates: 0, profiles: 0 };

    const written = await this.repo.inBatchTransaction(async (tx): Promise<Written> => {
      await tx.upsertSessions([...sessions.values()]);
      if (relevant.length === 0) return nothingWritten(0);

      const ids = new Map<string, { tenantId: string; eventId: string }>();
      for (const e of relevant) ids.set(k2(e.tenantId, e.eventId), { tenantId: e.tenantId, eventId: e.eventId });
      const fresh = await tx.markProcessed([...ids.values()]);
      let todo = relevant.filter((e) => fresh.delete(k2(e.tenantId, e.eventId)));
      const duplicates = relevant.length - todo.length;
      if (todo.length === 0) return nothingWritten(duplicates);

      // An erased user's old events (redelivered or late) must not bring the profile back.
      const hashes = new Map<string, { tenantId: string; userHash: string }>();
      for (const e of todo) {
        const key = k2(e.tenantId, e.userId!);
        // one sha256 per user of the batch, not per event (it was ~3 % of the consumer's CPU)
        if (!hashes.has(key)) hashes.set(key, { tenantId: e.tenantId, userHash: erasedUserHash(e.tenantId, e.userId!) });
      }
      const tombstones = await tx.erasedAt([...hashes.values()]);
      if (tombstones.size > 0) {
        todo = todo.filter((e) => {
          const at = tombstones.get(k2(e.tenantId, hashes.get(k2(e.tenantId, e.userId!))!.userHash));
          return at === undefined || Date.parse(e.occurredAt) > at;
        });
        if (todo.length === 0) return nothingWritten(duplicates);
      }

      const categories = new Map<string, string>();
      for (const [key, s] of sessions) categories.set(key, s.category);
      const unknownSessions = new Map<string, { tenantId: string; sessionId: string }>();
      for (const e of todo) {
        if (e.liveSessionId && !categories.has(k2(e.tenantId, e.liveSessionId))) {
          unknownSessions.set(k2(e.tenantId, e.liveSessionId), { tenantId: e.tenantId, sessionId: e.liveSessionId });
        }
      }
      for (const [key, c] of await tx.sessionCategories([...unknownSessions.values()])) categories.set(key, c);

      const byUser = new Map<string, CanonicalEvent[]>();
      for (const e of todo) {
        const key = k2(e.tenantId, e.userId!);
        const list = byUser.get(key);
        if (list) list.push(e);
        else byUser.set(key, [e]);
      }
      const keys: ProfileKey[] = [...byUser.values()].map((list) => ({ tenantId: list[0].tenantId, userId: list[0].userId! }));
      const locked = await tx.lockProfiles(keys);
      const now = Date.now();
      const rows: ProfileRowWrite[] = keys.map(({ tenantId, userId }) => {
        const key = k2(tenantId, userId);
        const current = locked.get(key) ?? null;
        const state = current?.state ?? emptyProfileState();
        const list = byUser.get(key)!;
        for (const e of list) {
          applyEvent(state, e, this.config.settings, (sessionId) => categories.get(k2(tenantId, sessionId)) as CourseCategory | undefined);
        }
        const p = state.purchase;
        return {
          tenantId,
          userId,
          version: Math.max(now, (current?.version ?? 0) + 1),
          state,
          paidOrders: p.paidOrders,
          lastPaidMs: p.lastPaidMs,
          monetaryMinor: p.paidMinor - p.refundedMinor,
          topCategory: topCategoryOf(state.decayed.categories, COURSE_CATEGORIES),
        };
      });
      await tx.saveProfiles(rows);
      const notices = await tx.enqueueNotices(this.notices.plan(rows));
      return { rows, notices, duplicates, applied: todo.length };
    });

    this.appliedCounter.inc({ outcome: 'duplicate' }, written.duplicates);
    if (written.rows.length === 0) return { applied: 0, duplicates: written.duplicates, profiles: 0 };
    const applied = written.applied;
    this.appliedCounter.inc({ outcome: 'applied' }, applied);

    // After commit: readers must not see the old cached aggregate; others learn once per tenant.
    await this.notices.afterCommit(written.notices);
    return { applied, duplicates: written.duplicates, profiles: written.rows.length };
  }
}
