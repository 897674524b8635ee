import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisConfigError, redisConnectionFromEnv } from './redis-connection';

const dir = mkdtempSync(join(tmpdir(), 'lp-redis-'));
const ca = join(dir, 'ca.pem');
const pw = join(dir, 'pw');
writeFileSync(ca, 'CA-PEM');
writeFileSync(pw, 'from-file\n');

describe('redisConnectionFromEnv', () => {
  it('adds nothing for a plain URL', () => {
    expect(redisConnectionFromEnv('redis://127.0.0.1:6379', {})).toEqual({});
  });

  it('turns TLS on for rediss:// with an optional CA, and reads the ACL user and password', () => {
    expect(redisConnectionFromEnv('rediss://cache:6380', { REDIS_TLS_CA_FILE: ca, REDIS_USERNAME: 'svc', REDIS_PASSWORD_FILE: pw })).toEqual({
      username: 'svc',
      password: 'from-file',
      tls: { ca: 'CA-PEM' },
    });
    expect(redisConnectionFromEnv('rediss://cache:6380', {})).toEqual({ tls: {} });
  });

  it('refuses inconsistent settings by variable', () => {
    expect(() => redisConnectionFromEnv('redis://cache:6379', { REDIS_TLS_CA_FILE: ca })).toThrow(/REDIS_TLS_CA_FILE: is set but REDIS_URL is not rediss/);
    expect(() => redisConnectionFromEnv('redis://cache:6379', { REDIS_USERNAME: 'svc' })).toThrow(RedisConfigError);
    expect(redisConnectionFromEnv('redis://svc:pw@cache:6379', { REDIS_USERNAME: 'svc' })).toEqual({ username: 'svc' });
    expect(() => redisConnectionFromEnv('redis://cache:6379', { REDIS_PASSWORD: 'a', REDIS_PASSWORD_FILE: pw })).toThrow(/keep one/);
  });
});
