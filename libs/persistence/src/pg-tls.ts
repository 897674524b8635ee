import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

/** What node-postgres needs for TLS, derived from DATABASE_URL's sslmode and DATABASE_SSL_CA_FILE. */
export interface PostgresConnection {
  /** DATABASE_URL without the ssl* parameters (they are turned into `ssl` below, so pg cannot override them). */
  url: string;
  ssl: false | ConnectionOptions;
  /** For logs: the mode in force, never credentials. */
  mode: 'disable' | 'require' | 'verify-ca' | 'verify-full' | 'no-verify';
}

export class PostgresConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid Postgres connection settings:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'PostgresConfigError';
  }
}

const SSL_PARAMS = ['sslmode', 'sslrootcert', 'ssl', 'uselibpqcompat'];

/**
 * libpq's sslmode, as node-postgres can honour it (it has no plaintext fallback, so `prefer`/`allow` are refused):
 *  disable (default) - no TLS; require - TLS, certificate not checked unless a CA is given (then as verify-ca);
 *  verify-ca - chain checked against the CA; verify-full - chain and host name checked (system CAs without a CA file);
 *  no-verify - TLS, nothing checked (node-postgres' own mode).
 * The CA comes from DATABASE_SSL_CA_FILE or the URL's sslrootcert.
 */
export function postgresConnectionFromEnv(url: string, env: Record<string, string | undefined> = process.env): PostgresConnection {
  const problems: { variable: string; message: string }[] = [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PostgresConfigError([{ variable: 'DATABASE_URL', message: 'is not a URL' }]);
  }
  const q = parsed.searchParams;
  const rawMode = (q.get('sslmode') ?? (q.get('ssl') === 'true' || q.get('ssl') === '1' ? 'require' : 'disable')).toLowerCase();
  const caPath = env.DATABASE_SSL_CA_FILE || q.get('sslrootcert') || undefined;
  const hadSslParams = SSL_PARAMS.some((p) => q.has(p));
  for (const p of SSL_PARAMS) q.delete(p);
  // untouched when there was nothing to strip (URL serialisation may re-encode a socket path)
  const stripped = hadSslParams ? parsed.toString() : url;
  let ca: string | undefined;
  if (caPath) {
    try {
      ca = readFileSync(caPath, 'utf8');
    } catch (e) {
      problems.push({ variable: env.DATABASE_SSL_CA_FILE ? 'DATABASE_SSL_CA_FILE' : 'DATABASE_URL', message: `cannot read CA file ${caPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    }
  }
  let out: PostgresConnection;
  switch (rawMode) {
    case 'disable':
      if (caPath) problems.push({ variable: 'DATABASE_SSL_CA_FILE', message: 'is set but DATABASE_URL has no sslmode: add ?sslmode=verify-full (or verify-ca / require)' });
      out = { url: stripped, ssl: false, mode: 'disable' };
      break;
    case 'require':
      out = ca
        ? { url: stripped, ssl: { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }, mode: 'verify-ca' }
        : { url: stripped, ssl: { rejectUnauthorized: false }, mode: 'require' };
      break;
    case 'verify-ca':
      out = { url: stripped, ssl: { ...(ca ? { ca } : {}), rejectUnauthorized: true, checkServerIdentity: () => undefined }, mode: 'verify-ca' };
      break;
    case 'verify-full':
      out = { url: stripped, ssl: { ...(ca ? { ca } : {}), rejectUnauthorized: true }, mode: 'verify-full' };
      break;
    case 'no-verify':
      out = { url: stripped, ssl: { rejectUnauthorized: false }, mode: 'no-verify' };
      break;
    default:
      problems.push({
        variable: 'DATABASE_URL',
        message: `sslmode=${rawMode} is not supported (node-postgres cannot fall back to plaintext): use disable, require, verify-ca, verify-full or no-verify`,
      });
      out = { url: stripped, ssl: false, mode: 'disable' };
  }
  if (problems.length > 0) throw new PostgresConfigError(problems);
  return out;
}
