import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

/** Redis credentials and TLS beyond what the URL carries. */
export interface RedisConnection {
  /** ACL user (Redis 6+); the URL's user wins when both are given. */
  username?: string;
  password?: string;
  /** TLS: on for rediss:// URLs; a CA file (REDIS_TLS_CA_FILE) for a private CA. */
  tls?: ConnectionOptions;
}

export class RedisConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid Redis connection settings:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'RedisConfigError';
  }
}

function secret(env: Record<string, string | undefined>, name: string, problems: { variable: string; message: string }[]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) {
    problems.push({ variable: name, message: `set both ${name} and ${name}_FILE: keep one` });
    return undefined;
  }
  if (direct) return direct;
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    problems.push({ variable: `${name}_FILE`, message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return undefined;
  }
}

/**
 * REDIS_URL (redis:// or rediss://, user:password@ for an ACL user) plus REDIS_USERNAME, REDIS_PASSWORD[_FILE],
 * REDIS_TLS_CA_FILE (only with rediss://). Throws RedisConfigError naming each bad variable.
 */
export function redisConnectionFromEnv(url: string, env: Record<string, string | undefined> = process.env): RedisConnection {
  const problems: { variable: string; message: string }[] = [];
  const tlsUrl = /^rediss:\/\//i.test(url);
  const out: RedisConnection = {};
  const username = env.REDIS_USERNAME || undefined;
  const password = secret(env, 'REDIS_PASSWORD', problems);
  if (username && !password && !/^rediss?:\/\/[^@/]*:[^@/]*@/i.test(url)) {
    problems.push({ variable: 'REDIS_PASSWORD', message: 'is required with REDIS_USERNAME (or REDIS_PASSWORD_FILE, or user:password@ in REDIS_URL)' });
  }
  if (username) out.username = username;
  if (password) out.password = password;
  const caFile = env.REDIS_TLS_CA_FILE;
  if (caFile && !tlsUrl) problems.push({ variable: 'REDIS_TLS_CA_FILE', message: 'is set but REDIS_URL is not rediss://' });
  if (tlsUrl) {
    out.tls = {};
    if (caFile) {
      try {
        out.tls.ca = readFileSync(caFile, 'utf8');
      } catch (e) {
        problems.push({ variable: 'REDIS_TLS_CA_FILE', message: `cannot read ${caFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      }
    }
  }
  if (problems.length > 0) throw new RedisConfigError(problems);
  return out;
}
