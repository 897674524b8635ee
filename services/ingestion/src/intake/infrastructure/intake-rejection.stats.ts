import { Inject, Injectable } from '@nestjs/common';
import { Cache } from '@livepromo/cache';
import { JsonLogger } from '@livepromo/observability';

const HOUR_MS = 3_600_000;
/** Hourly counters are kept 8 days (a week of history plus the current day). */
const TTL_MS = 8 * 24 * HOUR_MS;

/**
 * Items ingestion refused to its senders (per tenant, per reason, per hour), so that they can be queried
 * next to cleaning's rejections (GET /v1/rejections/stats). Redis counters
 * `intake-rejections:<tenant>:<hour>:<reason>`; written only when a batch had rejections.
 */
@Injectable()
export class IntakeRejectionStats {
  constructor(
    @Inject(Cache) private readonly cache: Cache,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  /** Adds one batch's rejections; a Redis failure is logged, never fails the request (the answer already lists them). */
  async add(tenantId: string, byReason: ReadonlyMap<string, number>, atMs = Date.now()): Promise<void> {
    if (byReason.size === 0) return;
    const hour = Math.floor(atMs / HOUR_MS);
    try {
      await Promise.all([...byReason].map(([reason, n]) => this.cache.incrBy(`intake-rejections:${tenantId}:${hour}:${reason}`, n, TTL_MS)));
    } catch (e) {
      this.log.warn('intake rejection counters not updated', { tenantId, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Counts by reason for the hours overlapping [fromMs, toMs). */
  async query(tenantId: string, fromMs: number, toMs: number): Promise<{ reason: string; count: number }[]> {
    const keys = await this.cache.scan(`intake-rejections:${tenantId}:*`, 100_000);
    const fromHour = Math.floor(fromMs / HOUR_MS);
    const toHour = Math.ceil(toMs / HOUR_MS);
    const inRange = keys.filter((k) => {
      const hour = Number(k.slice(`intake-rejections:${tenantId}:`.length).split(':')[0]);
      return hour >= fromHour && hour < toHour;
    });
    const values = inRange.length ? await this.cache.mget(inRange) : [];
    const byReason = new Map<string, number>();
    inRange.forEach((k, i) => {
      const reason = k.slice(`intake-rejections:${tenantId}:`.length).split(':').slice(1).join(':');
      byReason.set(reason, (byReason.get(reason) ?? 0) + Number(values[i] ?? 0));
    });
    return [...byReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
}
