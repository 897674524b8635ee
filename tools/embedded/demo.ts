import { eventBatchClient } from '@livepromo/io';
import { SimEvent, SimStats } from '../simulator/day';
import { DEMO_TRUTH, historyEvents, LiveRoom } from '../simulator/demo-world';
import type { EmbeddedPlatform } from './embedded-platform';

export const DEMO_TENANT = 'demo';

async function call(
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
const within = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> => Promise.race([p, sleep(ms).then(() => 'timeout' as const)]);

export interface DemoHandle {
  key: string;
  truth: typeof DEMO_TRUTH;
  /** seconds from the start of seeding to "ready" (history processed, the live room's first minutes in) */
  readySec: number;
  events: number;
  stop(): void;
}

/** Posts events in batches of at most 1000 (ingestion's MAX_BATCH_EVENTS); `backfill` marks history (issue #17: no live lateness window). */
/** Posts events in batches of 1,000 through the shared client (429/503 waited out); history as backfill of one stream. */
async function post(base: string, key: string, events: SimEvent[], backfill: boolean): Promise<{ rejected: number }> {
  const send = eventBatchClient({
    url: base,
    key,
    maxAttempts: 30,
    query: backfill ? { mode: 'backfill', stream: 'demo-history' } : undefined,
  });
  let rejected = 0;
  for (let i = 0; i < events.length; i += 1000)
    rejected += (await send(events.slice(i, i + 1000))).filter((r) => r.status === 'rejected').length;
  return { rejected };
}

/**
 * Creates the demo tenant through ingestion's admin API (as an operator would), loads a week of a simulated
 * knowledge-course shop as history (`?mode=backfill`), starts the session live now (its first minutes at once), and
 * keeps feeding it in real time: every 10 s the next 10 s of the room. A simulated host accepts a suggestion that
 * nobody answered within `LIVEPROMO_DEMO_HOST_DELAY_MS` (8 s) and the room then reacts with the strategy's planted
 * effect, so the bandit learns it. Returns the demo API key, the ground truth and a stop function.
 */
export async function seedDemo(platform: EmbeddedPlatform, operatorToken: string): Promise<DemoHandle> {
  const t0 = Date.now();
  const say = (msg: string) => process.stderr.write(`demo [${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}\n`);
  const op = { 'x-operator-token': operatorToken };
  let created = await call('POST', `${platform.url}/v1/admin/tenants`, { tenantId: DEMO_TENANT, name: '知识付费 Demo 课程店' }, op);
  let key: string | undefined = (created.body as { apiKey?: { key?: string } } | null)?.apiKey?.key;
  if (created.status === 409) {
    created = await call('POST', `${platform.url}/v1/admin/tenants/${DEMO_TENANT}/keys`, { label: 'demo' }, op);
    key = (created.body as { key?: string } | null)?.key;
  }
  if (!key) throw new Error(`could not create the demo tenant: ${created.status} ${JSON.stringify(created.body)}`);
  await platform.idle();

  const now = Date.now();
  const seed = 20;
  const stats: SimStats = { events: 0, byType: {}, botEvents: 0, paidRevenueFen: 0, refundedFen: 0, costFen: 0 };
  // 0.4: past sessions of ~150–650 viewers, a live room peaking at ~800 (the embedded platform digests it on 2 cores)
  const scale = Number(process.env.LIVEPROMO_DEMO_SCALE ?? '0.4');
  // history: a week of sessions, ad spend and orders, as backfill
  const history = [...historyEvents({ tenantId: DEMO_TENANT, nowMs: now, seed, audienceScale: scale }, stats)];
  let rejected = 0;
  for (let i = 0; i < history.length; i += 1000) rejected += (await post(platform.url, key, history.slice(i, i + 1000), true)).rejected;
  say(`history sent as backfill: ${history.length} events (${rejected} rejected)`);

  // the session live now started 36 minutes ago; its first 5 minutes go in at once, the rest catches up minute by minute
  const liveStart = Math.floor((now - 36 * 60_000) / 60_000) * 60_000;
  const room = new LiveRoom(DEMO_TENANT, liveStart, seed, stats, Math.round(2000 * scale));
  await post(platform.url, key, room.advance(liveStart + 5 * 60_000), false);
  const caughtUp = await within(platform.idle(), 60_000);
  const readySec = (Date.now() - t0) / 1000;
  say(`ready: ${stats.events} events${caughtUp === 'timeout' ? ' (services still processing; figures fill in)' : ''}`);

  let stopped = false;
  void feedLive(platform, key, room, () => stopped, say).catch((e: unknown) =>
    say(`live feed stopped: ${e instanceof Error ? e.message : String(e)}`),
  );
  return { key, truth: DEMO_TRUTH, readySec, events: stats.events, stop: () => (stopped = true) };
}

/** Catches the live room up with the clock 20 s at a time, then feeds it every 10 s; the simulated host acts on suggestions. */
async function feedLive(
  platform: EmbeddedPlatform,
  key: string,
  room: LiveRoom,
  stopped: () => boolean,
  say: (m: string) => void,
): Promise<void> {
  const hostDelayMs = Number(process.env.LIVEPROMO_DEMO_HOST_DELAY_MS ?? '8000');
  const firstSeen = new Map<string, number>();
  const applied = new Set<string>();
  const auth = { authorization: `Bearer ${key}` };
  const host = async (catchingUp: boolean) => {
    const st = await call('GET', `${platform.url}/v1/live-sessions/${DEMO_TRUTH.liveSessionId}?history=1`, undefined, auth);
    const suggestions =
      (st.body as { suggestions?: { suggestionId: string; strategy: string; trigger: string; feedback: string | null }[] } | null)
        ?.suggestions ?? [];
    for (const s of suggestions) {
      if (applied.has(s.suggestionId)) continue;
      if (s.feedback === 'accepted') {
        // the operator accepted it in the console: the room does it
        applied.add(s.suggestionId);
        room.applyStrategy(s.strategy, s.trigger, room.cursorMs);
        continue;
      }
      if (s.feedback) {
        applied.add(s.suggestionId);
        continue;
      }
      const seen = firstSeen.get(s.suggestionId) ?? Date.now();
      firstSeen.set(s.suggestionId, seen);
      if (catchingUp || Date.now() - seen >= hostDelayMs) {
        const r = await call(
          'POST',
          `${platform.url}/v1/live-sessions/${DEMO_TRUTH.liveSessionId}/suggestions/${encodeURIComponent(s.suggestionId)}/feedback`,
          { decision: 'accepted' },
          auth,
        );
        if (r.status < 300) {
          applied.add(s.suggestionId);
          room.applyStrategy(s.strategy, s.trigger, room.cursorMs);
        }
      }
    }
  };
  let caughtUp = false;
  while (!stopped()) {
    const lag = Date.now() - room.cursorMs;
    if (lag > 70_000) {
      // catching up: 20 s at a time (a minute closes 2 s into the next), letting the pipeline work before the host looks
      await post(platform.url, key, room.advance(room.cursorMs + 20_000), false);
      await within(platform.idle(), 4_000);
      await host(true);
    } else {
      if (!caughtUp) say('live room caught up with the clock; feeding it every 10 s');
      caughtUp = true;
      const events = room.advance(Math.floor(Date.now() / 10_000) * 10_000);
      if (events.length) await post(platform.url, key, events, false);
      await sleep(2_000);
      await host(false);
      await sleep(Math.max(0, 10_000 - (Date.now() % 10_000)));
    }
  }
}
