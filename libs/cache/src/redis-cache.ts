import Redis from 'ioredis';
import { Cache } from './cache.port';
import { RedisConnection } from './redis-connection';

const TOKEN_BUCKET_LUA = `
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local b = redis.call('HMGET', key, 't', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil then tokens = burst; ts = now end
tokens = math.min(burst, tokens + (now - ts) / 1000 * rate)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) / rate * 1000)
end
redis.call('HSET', key, 't', tokens, 'ts', now)
redis.call('PEXPIRE', key, math.ceil(burst / rate * 1000) + 1000)
return {allowed, wait, math.floor(tokens)}
`;

export interface RedisCacheOptions {
  url: string;
  /** e.g. `livepromo:cleaning:`; tests add a run id. */
  prefix: string;
  /** ACL user/password and TLS CA beyond the URL (see redisConnectionFromEnv). */
  connection?: RedisConnection;
}

export class RedisCache extends Cache {
  readonly client: Redis;
  private readonly prefix: string;

  constructor(opts: RedisCacheOptions) {
    super();
    this.prefix = opts.prefix;
    this.client = new Redis(opts.url, {
      ...(opts.connection?.username ? { username: opts.connection.username } : {}),
      ...(opts.connection?.password ? { password: opts.connection.password } : {}),
      ...(opts.connection?.tls ? { tls: opts.connection.tls } : {}),
      lazyConnect: false,
      maxRetriesPerRequest: 3,
      enableOfflineQueue: true,
      connectTimeout: 3000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.client.defineCommand('tokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    // errors surface through commands and health; avoid unhandled 'error' events
    this.client.on('error', () => undefined);
  }

  private readonly scripts = new Set<string>();

  async runScript(name: string, lua: string, keys: readonly string[], args: readonly string[]): Promise<unknown[] | null> {
    if (!this.scripts.has(name)) {
      this.client.defineCommand(name, { lua });
      this.scripts.add(name);
    }
    const command = (this.client as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown[]>>)[name];
    return command.call(this.client, keys.length, ...keys.map((k) => this.k(k)), ...args);
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  get(key: string): Promise<string | null> {
    return this.client.get(this.k(key));
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    return this.client.mget(keys.map((k) => this.k(k)));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.client.set(this.k(key), value, 'PX', ttlMs);
    else await this.client.set(this.k(key), value);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(this.k(key), value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async setManyIfAbsent(entries: readonly { key: string; value: string }[], ttlMs: number): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const p = this.client.pipeline();
    for (const e of entries) p.set(this.k(e.key), e.value, 'PX', ttlMs, 'NX');
    const res = (await p.exec()) ?? [];
    return res.map(([err, v]) => {
      if (err) throw err;
      return v === 'OK';
    });
  }

  async del(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return this.client.del(...keys.map((k) => this.k(k)));
  }

  async incrBy(key: string, by: number, ttlMs?: number): Promise<number> {
    if (!ttlMs) return this.client.incrby(this.k(key), by);
    const res = await this.client.multi().incrby(this.k(key), by).pexpire(this.k(key), ttlMs).exec();
    return Number(res?.[0]?.[1] ?? 0);
  }

  async scan(pattern: string, limit = 10000): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', this.k(pattern), 'COUNT', 500);
      cursor = next;
      for (const key of keys) out.push(key.slice(this.prefix.length));
    } while (cursor !== '0' && out.length < limit);
    return out.slice(0, limit);
  }

  async takeTokens(key: string, ratePerSec: number, burst: number, cost = 1) {
    const r = await (
      this.client as unknown as {
        tokenBucket(k: string, rate: number, burst: number, cost: number, now: number): Promise<[number, number, number]>;
      }
    ).tokenBucket(this.k(key), ratePerSec, burst, cost, Date.now());
    return { allowed: r[0] === 1, retryAfterMs: r[1], remaining: r[2] };
  }

  async ping(): Promise<boolean> {
    return (await this.client.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
