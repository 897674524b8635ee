import { Inject, Injectable } from '@nestjs/common';
import { Cache } from '@livepromo/cache';

/**
 * What Redis says about a dedup key for the message holding `token` (`partition:offset`):
 * - `fresh`: we just claimed it;
 * - `mine-pending`: this very message claimed it before, but its effects were never confirmed (crash): redo;
 * - `mine-done`: this very message was fully handled before (crash after the effects, before the commit): skip;
 * - `other`: another message holds it: a duplicate.
 */
export type ClaimState = 'fresh' | 'mine-pending' | 'mine-done' | 'other';

export interface Claim {
  state: ClaimState;
  /** For `mine-pending`: when the earlier attempt claimed it (ms), to bound the recovery probe. */
  claimedAtMs: number | null;
}

/**
 * KEYS: n claim keys, then the done-offset keys; ARGV: ttl ms, n, then n claim values.
 * Returns, per claim key, '' when this call set it or its current value; then each done-offset ('' if none).
 * (All keys in one call: a single Redis, or one hash slot on a cluster.)
 */
const CLAIM_LUA = `
local ttl = ARGV[1]
local n = tonumber(ARGV[2])
local out = {}
for i = 1, n do
  if redis.call('SET', KEYS[i], ARGV[i + 2], 'PX', ttl, 'NX') then
    out[i] = ''
  else
    out[i] = redis.call('GET', KEYS[i]) or ''
  end
end
for i = n + 1, #KEYS do
  out[i] = redis.call('GET', KEYS[i]) or ''
end
return out
`;

/**
 * Dedup keys in Redis: `SET key "c:<partition>:<offset>@<claim ms>" NX PX window` claims (one Lua call per batch).
 * Once a batch's effects are durable, one key per partition, `done:<partition>` = last offset, says so.
 * A redelivered message recognises its own claim by the position and knows from the partition's
 * done-offset whether its effects already happened; so a crash between claim and commit neither
 * loses nor double-counts it. For a pending one, the claim time bounds the recovery probe of events.clean.v1
 * (was it published before the crash?).
 */
@Injectable()
export class DedupStore {
  /** On Redis the claim is one Lua call per batch (Cache.runScript); elsewhere the Cache port's SET NX and MGET. */
  constructor(@Inject(Cache) private readonly cache: Cache) {}

  async claim(entries: readonly { key: string; partition: number; offset: string }[], ttlMs: number, nowMs = Date.now()): Promise<Claim[]> {
    if (entries.length === 0) return [];
    const token = (e: { partition: number; offset: string }) => `${e.partition}:${e.offset}`;
    const value = (e: { partition: number; offset: string }) => `c:${token(e)}@${nowMs}`;
    const partitions = [...new Set(entries.map((e) => e.partition))];
    // held[i]: null when we just claimed it, else the current value; done: each partition's done-offset
    let held: (string | null)[];
    let doneOffset: Map<number, string | null>;
    const keys = [...entries.map((e) => `dedup:${e.key}`), ...partitions.map((p) => `dedup:done:${p}`)];
    const r = (await this.cache.runScript('lpCleaningClaim', CLAIM_LUA, keys, [
      String(ttlMs),
      String(entries.length),
      ...entries.map(value),
    ])) as string[] | null;
    if (r) {
      held = r.slice(0, entries.length).map((v) => (v === '' ? null : v));
      doneOffset = new Map(partitions.map((p, j) => [p, r[entries.length + j] || null]));
    } else {
      const set = await this.cache.setManyIfAbsent(
        entries.map((e) => ({ key: `dedup:${e.key}`, value: value(e) })),
        ttlMs,
      );
      const lost = entries.map((e, i) => (set[i] ? -1 : i)).filter((i) => i >= 0);
      const values = lost.length
        ? await this.cache.mget([...lost.map((i) => `dedup:${entries[i].key}`), ...partitions.map((p) => `dedup:done:${p}`)])
        : [];
      held = entries.map(() => null);
      lost.forEach((i, j) => (held[i] = values[j] ?? value(entries[i])));
      doneOffset = new Map(partitions.map((p, j) => [p, lost.length ? values[lost.length + j] : null]));
    }
    return entries.map((e, i): Claim => {
      const v = held[i];
      if (v === null) return { state: 'fresh', claimedAtMs: null };
      const mine = `c:${token(e)}@`;
      if (!v.startsWith(mine)) return { state: 'other', claimedAtMs: null };
      const done = doneOffset.get(e.partition);
      if (done !== null && done !== undefined && BigInt(e.offset) <= BigInt(done)) return { state: 'mine-done', claimedAtMs: null };
      return { state: 'mine-pending', claimedAtMs: Number(v.slice(mine.length)) || 0 };
    });
  }

  /** Marks every message up to `offset` of each partition as fully handled. */
  async confirm(lastOffsets: ReadonlyMap<number, string>, ttlMs: number): Promise<void> {
    await Promise.all([...lastOffsets].map(([p, offset]) => this.cache.set(`dedup:done:${p}`, offset, ttlMs)));
  }

  async sessionStarts(keys: readonly string[]): Promise<(number | null)[]> {
    const v = await this.cache.mget(keys.map((k) => `ss:${k}`));
    return v.map((x) => (x === null ? null : Number(x)));
  }

  async recordSessionStarts(starts: ReadonlyMap<string, number>, ttlMs: number): Promise<void> {
    await Promise.all([...starts].map(([k, at]) => this.cache.set(`ss:${k}`, String(at), ttlMs)));
  }
}
