import { Inject, Injectable } from '@nestjs/common';
import { Cache } from '@livepromo/cache';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { JsonLogger } from '@livepromo/observability';
import { IngestionConfig } from '../../ingestion.config';

/**
 * Per-tenant token bucket in Redis (atomic Lua script behind Cache.takeTokens): one token per
 * submitted event, refilled at RATE_LIMIT_EVENTS_PER_SEC, capacity max(RATE_LIMIT_BURST, MAX_BATCH_EVENTS).
 * Over the limit: 429 `rate_limited` with Retry-After (whole seconds, rounded up) and nothing published.
 * If Redis does not answer, requests are let through (fail open) and a warning is logged: losing the
 * limiter must not stop intake.
 */
@Injectable()
export class TenantRateLimiter {
  private readonly burst: number;

  constructor(
    @Inject(Cache) private readonly cache: Cache,
    @Inject(CONFIG) private readonly config: IngestionConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {
    this.burst = Math.max(config.RATE_LIMIT_BURST, config.MAX_BATCH_EVENTS);
  }

  async take(tenantId: string, events: number): Promise<void> {
    let r: { allowed: boolean; retryAfterMs: number; remaining: number };
    try {
      r = await this.cache.takeTokens(`rate:${tenantId}`, this.config.RATE_LIMIT_EVENTS_PER_SEC, this.burst, events);
    } catch (e) {
      this.log.warn('rate limiter unavailable, letting the request through', { tenantId, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (!r.allowed) {
      const retryAfterSec = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
      throw new DomainError(ErrorCode.RateLimited, `tenant ${tenantId} is over its rate of ${this.config.RATE_LIMIT_EVENTS_PER_SEC} events/s`, {
        headers: { 'Retry-After': String(retryAfterSec) },
        details: { retryAfterSec, ratePerSec: this.config.RATE_LIMIT_EVENTS_PER_SEC, burst: this.burst, requested: events },
      });
    }
  }
}
