import { Controller, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { openApiSchema } from '@livepromo/service-kit';
import { ReceiveWebhookUseCase } from '../application/receive-webhook.usecase';
import { BatchResult } from '../domain/intake-result';
import { describePlatformMappings, WEBHOOK_PLATFORMS } from '../domain/platforms/platform-registry';
import { allRejected, mediaType, unsupported } from './events.controller';
import { batchResultSchema } from './intake.dto';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(@Inject(ReceiveWebhookUseCase) private readonly webhooks: ReceiveWebhookUseCase) {}

  @Post(':platform')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Signed webhook from a live/e-commerce platform',
    description:
      'Authentication is the signature, not an API key: `X-Livepromo-Signature: sha256=<hex>` where hex = HMAC-SHA256(tenant webhook secret, `${X-Livepromo-Timestamp}.${raw body}`), ' +
      'timestamp in unix seconds and within WEBHOOK_TOLERANCE_SEC (300 s) of our clock (replay protection), compared in constant time. ' +
      'Errors: 401 `invalid_signature` (details.reason bad_signature / missing_headers / bad_timestamp), 401 `stale_timestamp`, 401 `unauthorized` (unknown tenant or no secret), 404 unknown platform, 400 malformed_json, 415 not JSON. ' +
      'The body is one notification or an array of them; each is mapped to the canonical envelope and answered per item like POST /v1/events/batch (code `unknown_platform_event` for an event name without mapping).\n\n' +
      describePlatformMappings(),
  })
  @ApiParam({ name: 'platform', enum: WEBHOOK_PLATFORMS })
  @ApiHeader({ name: 'X-Livepromo-Tenant', required: true, description: 'tenant id' })
  @ApiHeader({ name: 'X-Livepromo-Timestamp', required: true, description: 'unix seconds' })
  @ApiHeader({ name: 'X-Livepromo-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${body}`>' })
  @ApiBody({
    schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
    examples: {
      douyin: {
        value: { event: 'live_comment', msg_id: 'm-1', create_time: 1764331200, open_id: 'ou_1', room_id: 'r-9', anchor_open_id: 'a-3', content: { comment: '多少钱?' } },
      },
    },
  })
  @ApiAcceptedResponse({ description: 'per-item results; accepted items are in Kafka', schema: openApiSchema(batchResultSchema) })
  async receive(
    @Param('platform') platform: string,
    @Req() req: Request,
    @Headers('x-livepromo-tenant') tenant: string | undefined,
    @Headers('x-livepromo-timestamp') timestamp: string | undefined,
    @Headers('x-livepromo-signature') signature: string | undefined,
  ): Promise<BatchResult> {
    if (mediaType(req) !== 'application/json') throw unsupported(req, 'application/json');
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return allRejected(await this.webhooks.receive({ platform, tenant, timestamp, signature, rawBody }));
  }
}
