import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Cache } from '@livepromo/cache';
import { tenantIdSchema } from '@livepromo/contracts';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { IngestionConfig } from '../../ingestion.config';
import { TenantSettingsService } from '../../tenants/application/tenant-settings.service';
import { BatchResult } from '../domain/intake-result';
import { isWebhookPlatform, mapPlatformNotification, WEBHOOK_PLATFORMS } from '../domain/platforms/platform-registry';
import { verifyWebhookSignature } from '../domain/webhook-signature';
import { hostileItem, IngestEventsUseCase, SubmittedItem } from './ingest-events.usecase';

export interface WebhookDelivery {
  platform: string;
  tenant: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
}

/**
 * A signed webhook: the tenant named in X-Livepromo-Tenant must have a webhook secret and the
 * signature must verify within the timestamp tolerance; only then is the body parsed, each
 * notification mapped to the canonical envelope by its platform mapper, and the lot ingested.
 *
 * Replay protection: a verified signature is remembered (Redis, SET NX) for twice the timestamp
 * tolerance, so the same signed delivery sent again within the window is refused with 409
 * `webhook_replayed` (after it, the timestamp is stale anyway). If the first delivery could not be
 * ingested (e.g. 503), the signature is forgotten again so that the sender's retry works.
 */
@Injectable()
export class ReceiveWebhookUseCase {
  constructor(
    @Inject(TenantSettingsService) private readonly settings: TenantSettingsService,
    @Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase,
    @Inject(CONFIG) private readonly config: IngestionConfig,
    @Inject(Cache) private readonly cache: Cache,
  ) {}

  async receive(d: WebhookDelivery): Promise<BatchResult> {
    const platform = d.platform;
    if (!isWebhookPlatform(platform)) {
      throw new DomainError(ErrorCode.NotFound, `unknown webhook platform ${JSON.stringify(platform)}; use one of ${WEBHOOK_PLATFORMS.join(', ')}`);
    }
    if (!d.tenant || !tenantIdSchema.safeParse(d.tenant).success) {
      throw new DomainError(ErrorCode.Unauthorized, 'X-Livepromo-Tenant is missing or not a tenant id', { details: { reason: 'missing_headers' } });
    }
    const settings = await this.settings.get(d.tenant);
    if (!settings.webhookSecret) {
      throw new DomainError(ErrorCode.Unauthorized, 'unknown tenant, or the tenant has no webhook secret', { details: { reason: 'no_webhook_secret' } });
    }
    const check = verifyWebhookSignature({
      secret: settings.webhookSecret,
      timestamp: d.timestamp,
      signature: d.signature,
      rawBody: d.rawBody,
      nowMs: Date.now(),
      toleranceSec: this.config.WEBHOOK_TOLERANCE_SEC,
    });
    if (!check.ok) {
      const code = check.reason === 'stale_timestamp' ? 'stale_timestamp' : 'invalid_signature';
      throw new DomainError(code, check.message, { status: 401, details: { reason: check.reason, toleranceSec: this.config.WEBHOOK_TOLERANCE_SEC } });
    }
    const replayKey = `webhook-seen:${d.tenant}:${createHash('sha256').update(`${d.timestamp ?? ''}.${d.signature ?? ''}`).digest('base64url')}`;
    const first = await this.cache.setIfAbsent(replayKey, '1', 2 * this.config.WEBHOOK_TOLERANCE_SEC * 1000);
    if (!first) {
      throw new DomainError('webhook_replayed', 'this signed delivery was already received; a replay within the tolerance window is refused', {
        status: 409,
        details: { reason: 'replayed', toleranceSec: this.config.WEBHOOK_TOLERANCE_SEC },
      });
    }
    try {
      return await this.parseAndIngest({ ...d, tenant: d.tenant }, platform);
    } catch (e) {
      await this.cache.del([replayKey]).catch(() => undefined);
      throw e;
    }
  }

  private async parseAndIngest(d: WebhookDelivery & { tenant: string }, platform: Parameters<typeof mapPlatformNotification>[0]): Promise<BatchResult> {
    let body: unknown;
    try {
      body = JSON.parse(d.rawBody.toString('utf8'));
    } catch (e) {
      throw new DomainError(ErrorCode.MalformedJson, `webhook body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const notifications = Array.isArray(body) ? body : [body];
    const items: SubmittedItem[] = notifications.map((n) => {
      const hostile = hostileItem(n, 'the notification');
      if (hostile) return { outcome: hostile };
      const m = mapPlatformNotification(platform, n);
      return m.ok ? { value: m.item } : { outcome: m };
    });
    return this.ingest.ingest({ tenantId: d.tenant, items, defaultSource: platform, channel: `webhook:${platform}` });
  }
}
