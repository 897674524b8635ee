import { Inject, Injectable } from '@nestjs/common';
import { tenantIdSchema } from '@livepromo/contracts';
import { CONFIG, DomainError, ErrorCode, MAX_JSON_DEPTH, valueExceedsDepth } from '@livepromo/service-kit';
import { IngestionConfig } from '../../ingestion.config';
import { TenantSettingsService } from '../../tenants/application/tenant-settings.service';
import { BatchResult } from '../domain/intake-result';
import { isWebhookPlatform, mapPlatformNotification, WEBHOOK_PLATFORMS } from '../domain/platforms/platform-registry';
import { verifyWebhookSignature } from '../domain/webhook-signature';
import { IngestEventsUseCase, SubmittedItem } from './ingest-events.usecase';

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
 */
@Injectable()
export class ReceiveWebhookUseCase {
  constructor(
    @Inject(TenantSettingsService) private readonly settings: TenantSettingsService,
    @Inject(IngestEventsUseCase) private readonly ingest: IngestEventsUseCase,
    @Inject(CONFIG) private readonly config: IngestionConfig,
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
    let body: unknown;
    try {
      body = JSON.parse(d.rawBody.toString('utf8'));
    } catch (e) {
      throw new DomainError(ErrorCode.MalformedJson, `webhook body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const notifications = Array.isArray(body) ? body : [body];
    const items: SubmittedItem[] = notifications.map((n) => {
      if (valueExceedsDepth(n, MAX_JSON_DEPTH)) {
        return { outcome: { ok: false as const, code: 'json_too_deep' as const, message: `the notification nests JSON deeper than ${MAX_JSON_DEPTH} levels` } };
      }
      const m = mapPlatformNotification(platform, n);
      return m.ok ? { value: m.item } : { outcome: m };
    });
    return this.ingest.ingest({ tenantId: d.tenant, items, defaultSource: platform, channel: `webhook:${platform}` });
  }
}
