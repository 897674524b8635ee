import { describeWithInfra, uniquePrefix } from '@livepromo/testing';
import { MemoryCache, RedisCache } from '../src';

const INCR_BOTH = `
local a = redis.call('INCRBY', KEYS[1], ARGV[1])
local b = redis.call('INCRBY', KEYS[2], ARGV[1])
return {tostring(a), tostring(b)}
`;

describeWithInfra('Cache.runScript', (infra) => {
  it('runs a Lua script atomically on Redis, under the cache prefix, defining it once', async () => {
    const prefix = `${uniquePrefix('script')}:`;
    const cache = new RedisCache({ url: infra.redisUrl, prefix });
    try {
      expect(await cache.runScript('lpTestIncrBoth', INCR_BOTH, ['a', 'b'], ['2'])).toEqual(['2', '2']);
      expect(await cache.runScript('lpTestIncrBoth', INCR_BOTH, ['a', 'b'], ['3'])).toEqual(['5', '5']);
      expect(await cache.client.get(`${prefix}a`)).toBe('5');
      expect(await cache.get('b')).toBe('5');
    } finally {
      await cache.client.del(`${prefix}a`, `${prefix}b`);
      await cache.close();
    }
  });

  it('answers null in memory, so callers fall back to the port', async () => {
    expect(await new MemoryCache().runScript('x', 'return 1', [], [])).toBeNull();
  });
});
