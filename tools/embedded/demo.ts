import { createHash } from 'node:crypto';
import { EmbeddedPlatform } from './embedded-platform';

export const DEMO_TENANT = 'demo';
export const DEMO_KEY = 'lp_demo_key_for_local_use_only';

/**
 * Grants the demo tenant its key (as ingestion does when an operator creates one) so the REST API
 * can be tried at once with `Authorization: Bearer lp_demo_key_for_local_use_only`.
 */
export async function seedDemo(platform: EmbeddedPlatform): Promise<void> {
  const bus = platform.buses.get('ingestion')!;
  const now = new Date().toISOString();
  await bus.publish(
    'tenants.keys.v1',
    [
      {
        eventId: `demo-key-${Date.now()}`,
        tenantId: DEMO_TENANT,
        type: 'tenant.key.changed',
        source: 'livepromo',
        occurredAt: now,
        receivedAt: now,
        schemaVersion: 1,
        payload: { keyId: 'demo', keyHash: createHash('sha256').update(DEMO_KEY).digest('hex'), status: 'active', label: 'demo' },
      },
    ],
    { key: 'demo' },
  );
  await platform.idle();
  process.stdout.write(`demo tenant "${DEMO_TENANT}" ready: Authorization: Bearer ${DEMO_KEY}\n`);
}
