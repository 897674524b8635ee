import { Cache } from './cache.port';

/** In-memory Cache for the embedded mode and unit tests; same semantics as RedisCache. */
export class MemoryCache extends Cache {
  private readonly data = new Map<string, { value: string; expiresAt: number }>();
  private readonly buckets = new Map<string, { tokens: number; ts: number }>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  private live(key: string): { value: string; expiresAt: number } | undefined {
    const e = this.data.get(key);
    if (e && e.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  get(key: string) {
    return Promise.resolve(this.live(key)?.value ?? null);
  }
  mget(keys: readonly string[]) {
    return Promise.resolve(keys.map((k) => this.live(k)?.value ?? null));
  }
  set(key: string, value: string, ttlMs?: number) {
    this.data.set(key, { value, expiresAt: ttlMs ? this.now() + ttlMs : Infinity });
    return Promise.resolve();
  }
  setIfAbsent(key: string, value: string, ttlMs: number) {
    if (this.live(key)) return Promise.resolve(false);
    this.data.set(key, { value, expiresAt: this.now() + ttlMs });
    return Promise.resolve(true);
  }
  async setManyIfAbsent(entries: readonly { key: string; value: string }[], ttlMs: number) {
    const out: boolean[] = [];
    for (const e of entries) out.push(await this.setIfAbsent(e.key, e.value, ttlMs));
    return out;
  }
  del(keys: readonly string[]) {
    let n = 0;
    for (const k of keys) if (this.live(k) && this.data.delete(k)) n++;
    return Promise.resolve(n);
  }
  incrBy(key: string, by: number, ttlMs?: number) {
    const cur = Number(this.live(key)?.value ?? 0) + by;
    const prev = this.data.get(key);
    this.data.set(key, { value: String(cur), expiresAt: ttlMs ? this.now() + ttlMs : (prev?.expiresAt ?? Infinity) });
    return Promise.resolve(cur);
  }
  scan(pattern: string, limit = 10000) {
    const re = new RegExp(
      '^' +
        pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
    );
    return Promise.resolve([...this.data.keys()].filter((k) => this.live(k) && re.test(k)).slice(0, limit));
  }
  takeTokens(key: string, ratePerSec: number, burst: number, cost = 1) {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: burst, ts: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.ts) / 1000) * ratePerSec);
    b.ts = now;
    let allowed = false;
    let retryAfterMs = 0;
    if (b.tokens >= cost) {
      b.tokens -= cost;
      allowed = true;
    } else retryAfterMs = Math.ceil(((cost - b.tokens) / ratePerSec) * 1000);
    this.buckets.set(key, b);
    return Promise.resolve({ allowed, retryAfterMs, remaining: Math.floor(b.tokens) });
  }
  /** No scripting in memory: callers fall back to the port's other calls. */
  runScript(_name: string, _lua: string, _keys: readonly string[], _args: readonly string[]): Promise<unknown[] | null> {
    return Promise.resolve(null);
  }
  ping() {
    return Promise.resolve(true);
  }
  close() {
    return Promise.resolve();
  }
}
