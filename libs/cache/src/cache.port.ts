/**
 * The cache port: what services need from Redis, with an in-memory twin for the embedded mode.
 * Keys are prefixed per service (and per test run) by the adapter.
 */
export abstract class Cache {
  abstract get(key: string): Promise<string | null>;
  abstract mget(keys: readonly string[]): Promise<(string | null)[]>;
  abstract set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** SET NX: true when the key was absent and is now set (dedup primitive). */
  abstract setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Batched SET NX: one round trip; returns which keys were newly set. */
  abstract setManyIfAbsent(entries: readonly { key: string; value: string }[], ttlMs: number): Promise<boolean[]>;
  abstract del(keys: readonly string[]): Promise<number>;
  abstract incrBy(key: string, by: number, ttlMs?: number): Promise<number>;
  /** Keys matching a glob under this cache's prefix (SCAN, not KEYS). Returned without prefix. */
  abstract scan(pattern: string, limit?: number): Promise<string[]>;
  /**
   * Token bucket: takes `cost` tokens; capacity `burst`, refilled at `ratePerSec`.
   * Atomic (a Lua script on Redis). Returns whether allowed and, if not, ms until enough tokens.
   */
  abstract takeTokens(
    key: string,
    ratePerSec: number,
    burst: number,
    cost?: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number; remaining: number }>;
  /**
   * Runs a Lua script atomically where the backend has scripting (Redis: one round trip; `keys` under this cache's
   * prefix, `name` defined once per connection). Resolves null where it has none (the in-memory cache): the caller then
   * does the same work with the calls above. Lets a service batch a read-modify-write without reaching past the port.
   */
  abstract runScript(name: string, lua: string, keys: readonly string[], args: readonly string[]): Promise<unknown[] | null>;
  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void>;
}
