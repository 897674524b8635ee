import { RejectionCode } from '@livepromo/contracts';
import { DOUYIN } from './douyin.mapper';
import { KUAISHOU } from './kuaishou.mapper';
import { TAOBAO } from './taobao.mapper';
import { WECHAT_CHANNELS } from './wechat-channels.mapper';
import { mapWithSpec, MappedItem, PlatformSpec } from './platform-mapper';

export const WEBHOOK_PLATFORMS = ['douyin', 'kuaishou', 'taobao', 'wechat-channels', 'generic'] as const;
export type WebhookPlatform = (typeof WEBHOOK_PLATFORMS)[number];

const SPECS: Record<Exclude<WebhookPlatform, 'generic'>, PlatformSpec> = {
  douyin: DOUYIN,
  kuaishou: KUAISHOU,
  taobao: TAOBAO,
  'wechat-channels': WECHAT_CHANNELS,
};

export function isWebhookPlatform(p: string): p is WebhookPlatform {
  return (WEBHOOK_PLATFORMS as readonly string[]).includes(p);
}

/**
 * Maps one platform notification to a canonical envelope (without tenant and receipt time).
 * `generic` is the canonical envelope itself (tenantId optional; source defaults to `generic`).
 */
export function mapPlatformNotification(platform: WebhookPlatform, notification: unknown): MappedItem {
  if (platform === 'generic') {
    if (typeof notification !== 'object' || notification === null || Array.isArray(notification)) {
      return { ok: false, code: RejectionCode.SchemaViolation, message: 'generic webhook item must be a JSON object' };
    }
    return { ok: true, item: { source: 'generic', ...(notification as Record<string, unknown>) } };
  }
  return mapWithSpec(SPECS[platform], notification);
}

/** Markdown table of every platform mapping, for the OpenAPI description and the README. */
export function describePlatformMappings(): string {
  const lines: string[] = [];
  for (const spec of Object.values(SPECS)) {
    lines.push(`**${spec.source}** (event name in \`${spec.eventField}\`): ${spec.notes}`);
    lines.push('');
    lines.push('| platform event | canonical type |');
    lines.push('|---|---|');
    for (const [name, rule] of Object.entries(spec.events)) lines.push(`| \`${name}\` | \`${rule.type}\` |`);
    lines.push('');
  }
  lines.push('**generic**: the canonical envelope itself (`type`, `occurredAt`, ids, `payload`; `tenantId` optional and must match the signing tenant).');
  return lines.join('\n');
}
