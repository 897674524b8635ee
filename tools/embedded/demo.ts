import { buildWorld } from '../simulator/world';
import { generateDays, SimStats } from '../simulator/day';
import { HttpSink } from '../simulator/sinks';
import type { EmbeddedPlatform } from './embedded-platform';

export const DEMO_TENANT = 'demo';

async function call(method: string, url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/**
 * Creates the demo tenant through ingestion's admin API (as an operator would), then replays a
 * simulated live-commerce day through the public intake, so every endpoint has figures to show.
 * Returns the demo API key.
 */
export async function seedDemo(platform: EmbeddedPlatform, operatorToken: string): Promise<string> {
  const op = { 'x-operator-token': operatorToken };
  let created = await call('POST', `${platform.url}/v1/admin/tenants`, { tenantId: DEMO_TENANT, name: 'Demo course seller' }, op);
  let key: string | undefined = (created.body as { apiKey?: { key?: string } } | null)?.apiKey?.key;
  if (created.status === 409) {
    created = await call('POST', `${platform.url}/v1/admin/tenants/${DEMO_TENANT}/keys`, { label: 'demo' }, op);
    key = (created.body as { key?: string } | null)?.key;
  }
  if (!key) throw new Error(`could not create the demo tenant: ${created.status} ${JSON.stringify(created.body)}`);
  await platform.idle();

  const world = buildWorld({ seed: 42, users: 600, streamers: 10, courses: 10, botShare: 0.03 });
  const stats: SimStats = { events: 0, byType: {}, botEvents: 0, paidRevenueFen: 0, refundedFen: 0, costFen: 0 };
  const start = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const sink = new HttpSink(platform.url, key);
  let batch = [];
  let sent = 0;
  for (const e of generateDays(world, { tenantId: DEMO_TENANT, days: 1, sessionsPerDay: 3, viewersPerSession: 150, startDate: start, seed: 42 }, stats)) {
    batch.push(e);
    if (batch.length === 500) {
      await sink.send(batch);
      sent += batch.length;
      batch = [];
      process.stderr.write(`\rdemo data: ${sent} events sent`);
    }
  }
  if (batch.length) await sink.send(batch);
  sent += batch.length;
  process.stderr.write(`\rdemo data: ${sent} events sent; waiting for the services to process them\n`);
  const caughtUp = await Promise.race([platform.idle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 90_000))]);
  if (!caughtUp) process.stderr.write('demo data: still processing after 90 s; figures will fill in as it goes\n');
  return key;
}
