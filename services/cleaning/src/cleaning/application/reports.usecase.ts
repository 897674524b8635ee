import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { CleaningRepository, ReasonCount } from '../infrastructure/cleaning.repository';
import { TestAccountDirectory } from '../infrastructure/test-account.directory';
import { ErasedUserDirectory } from '../infrastructure/erased-user.directory';
import { erasedUserHash } from '../domain/erased-user';

export interface RejectionStats {
  tenantId: string;
  window: { from: string; to: string };
  total: number;
  byReason: ReasonCount[];
  how: string;
}

export interface BotTraffic {
  tenantId: string;
  liveSessionId: string;
  botEvents: number;
  bySignal: { signal: string; count: number; users: number }[];
  how: string;
}

const DAY = 24 * 3600_000;

@Injectable()
export class ReportsUseCase {
  constructor(
    @Inject(CleaningRepository) private readonly repo: CleaningRepository,
    @Inject(TestAccountDirectory) private readonly testAccounts: TestAccountDirectory,
    @Inject(ErasedUserDirectory) private readonly erased: ErasedUserDirectory,
  ) {}

  async rejectionStats(tenantId: string, from?: string, to?: string): Promise<RejectionStats> {
    const end = to ?? new Date().toISOString();
    const start = from ?? new Date(Date.parse(end) - DAY).toISOString();
    if (Date.parse(start) >= Date.parse(end)) throw new DomainError(ErrorCode.ValidationFailed, '`from` must be before `to`');
    const byReason = await this.repo.rejectionCounts(tenantId, start, end);
    return {
      tenantId,
      window: { from: start, to: end },
      total: byReason.reduce((s, r) => s + r.count, 0),
      byReason,
      how:
        'count of this tenant\'s raw events cleaning refused, by reason, processed in [from, to): dead_lettered = dead letters written ' +
        '(one per consumed message), discarded = duplicates, test-account, bot and erased-user events kept out of clean data (one per consumed message). ' +
        'Default window: the last 24 h.',
    };
  }

  async botTraffic(tenantId: string, liveSessionId: string): Promise<BotTraffic> {
    const bySignal = await this.repo.botTraffic(tenantId, liveSessionId);
    return {
      tenantId,
      liveSessionId,
      botEvents: bySignal.reduce((s, r) => s + r.count, 0),
      bySignal,
      how:
        'events of this live session kept out of clean data because a bot signal fired (first signal wins: link_spam, rate, repeated_comment, like_flood); ' +
        'users = distinct users flagged. Windows and thresholds: BOT_* settings, in event time.',
    };
  }

  async listTestAccounts(tenantId: string): Promise<{ tenantId: string; managed: string[]; fromEnvironment: string[] }> {
    const rows = await this.repo.listTestAccounts(tenantId);
    return { tenantId, managed: rows.map((r) => r.userId), fromEnvironment: this.testAccounts.fromEnv(tenantId) };
  }

  async addTestAccounts(tenantId: string, userIds: readonly string[]) {
    await this.repo.addTestAccounts(tenantId, userIds);
    await this.testAccounts.reload();
    return this.listTestAccounts(tenantId);
  }

  async removeTestAccount(tenantId: string, userId: string): Promise<void> {
    if (!(await this.repo.removeTestAccount(tenantId, userId))) throw new DomainError(ErrorCode.NotFound, `${userId} is not a managed test account`);
    await this.testAccounts.reload();
  }

  /**
   * Erasure: the tombstone first (durable, then in this process's directory at once; other replicas pick it up
   * within ERASED_USERS_REFRESH_MS), then the user's rows. `erasedAt` is the `user.erased` event's occurredAt:
   * events of the user that happened at or before it are discarded as `erased_user` from now on.
   */
  async eraseUser(tenantId: string, userId: string, erasedAt: string): Promise<void> {
    await this.repo.recordErasure(tenantId, erasedUserHash(tenantId, userId), erasedAt);
    this.erased.record(tenantId, userId, Date.parse(erasedAt));
    await this.repo.eraseUser(tenantId, userId);
  }
}
