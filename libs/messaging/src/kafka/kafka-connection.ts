import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

/** How the bus reaches a secured cluster (managed Kafka: SASL over TLS). Both optional: plaintext by default. */
export interface KafkaSecurity {
  /** TLS to the brokers; `true` trusts the system CAs. */
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
}

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** A connection setting that cannot work, named by its variable; thrown at boot, before anything connects. */
export class ConnectionConfigError extends Error {
  constructor(
    readonly problems: { variable: string; message: string }[],
  ) {
    super(`invalid connection settings:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConnectionConfigError';
  }
}

type Env = Record<string, string | undefined>;

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

/** A flag variable: 1/true/yes/on or 0/false/no/off (unset = default). */
export function envFlag(env: Env, name: string, def: boolean, problems: { variable: string; message: string }[]): boolean {
  const v = env[name];
  if (!set(v)) return def;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  problems.push({ variable: name, message: `must be 1 or 0 (got ${JSON.stringify(v)})` });
  return def;
}

/** Reads a file named by a variable; records a problem (not the file's content) when it cannot be read. */
export function readEnvFile(env: Env, name: string, problems: { variable: string; message: string }[]): string | undefined {
  const path = env[name];
  if (!set(path)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    problems.push({ variable: name, message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return undefined;
  }
}

/**
 * A secret from `NAME` or from the file named by `NAME_FILE` (Kubernetes/Docker secrets), not both.
 * A trailing newline in the file is dropped (editors and `echo` add one).
 */
export function envSecret(env: Env, name: string, problems: { variable: string; message: string }[]): string | undefined {
  const direct = env[name];
  const fromFile = readEnvFile(env, `${name}_FILE`, problems);
  if (set(direct) && set(env[`${name}_FILE`])) {
    problems.push({ variable: name, message: `set both ${name} and ${name}_FILE: keep one` });
    return undefined;
  }
  if (set(direct)) return direct;
  return fromFile?.replace(/\r?\n$/, '');
}

/**
 * Kafka security from the environment, validated:
 *  KAFKA_SASL_MECHANISM (plain | scram-sha-256 | scram-sha-512), KAFKA_SASL_USERNAME[_FILE], KAFKA_SASL_PASSWORD[_FILE];
 *  KAFKA_SSL=1, KAFKA_SSL_CA_FILE (PEM; system CAs when unset), KAFKA_SSL_CERT_FILE + KAFKA_SSL_KEY_FILE (client
 *  certificate, mutual TLS), KAFKA_SSL_REJECT_UNAUTHORIZED=0 (only for a broker whose certificate cannot be checked).
 * Throws ConnectionConfigError naming every bad variable; never includes a secret in the message.
 */
export function kafkaSecurityFromEnv(env: Env = process.env): KafkaSecurity {
  const problems: { variable: string; message: string }[] = [];
  const out: KafkaSecurity = {};

  const mechanism = env.KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  const username = envSecret(env, 'KAFKA_SASL_USERNAME', problems);
  const password = envSecret(env, 'KAFKA_SASL_PASSWORD', problems);
  if (set(mechanism)) {
    if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      problems.push({ variable: 'KAFKA_SASL_MECHANISM', message: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')} (got ${JSON.stringify(env.KAFKA_SASL_MECHANISM)})` });
    } else {
      const named = (v: string) => problems.some((p) => p.variable.startsWith(v));
      if (!set(username) && !named('KAFKA_SASL_USERNAME')) problems.push({ variable: 'KAFKA_SASL_USERNAME', message: `is required with KAFKA_SASL_MECHANISM=${mechanism} (or KAFKA_SASL_USERNAME_FILE)` });
      if (!set(password) && !named('KAFKA_SASL_PASSWORD')) problems.push({ variable: 'KAFKA_SASL_PASSWORD', message: `is required with KAFKA_SASL_MECHANISM=${mechanism} (or KAFKA_SASL_PASSWORD_FILE)` });
      if (set(username) && set(password)) out.sasl = { mechanism: mechanism as KafkaSaslMechanism, username, password };
    }
  } else if (set(username) || set(password)) {
    problems.push({ variable: 'KAFKA_SASL_MECHANISM', message: 'is required when a SASL username or password is set (plain, scram-sha-256 or scram-sha-512)' });
  }

  const ssl = envFlag(env, 'KAFKA_SSL', false, problems);
  const ca = readEnvFile(env, 'KAFKA_SSL_CA_FILE', problems);
  const cert = readEnvFile(env, 'KAFKA_SSL_CERT_FILE', problems);
  const key = readEnvFile(env, 'KAFKA_SSL_KEY_FILE', problems);
  const rejectUnauthorized = envFlag(env, 'KAFKA_SSL_REJECT_UNAUTHORIZED', true, problems);
  const tlsVars = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE', 'KAFKA_SSL_REJECT_UNAUTHORIZED'].filter((v) => set(env[v]));
  if (!ssl && tlsVars.length > 0) {
    problems.push({ variable: 'KAFKA_SSL', message: `must be 1 when ${tlsVars.join(', ')} ${tlsVars.length > 1 ? 'are' : 'is'} set` });
  }
  if (set(env.KAFKA_SSL_CERT_FILE) !== set(env.KAFKA_SSL_KEY_FILE)) {
    problems.push({ variable: set(env.KAFKA_SSL_CERT_FILE) ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE', message: 'a client certificate needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE' });
  }
  if (ssl) {
    const tls: ConnectionOptions = { rejectUnauthorized };
    if (ca !== undefined) tls.ca = [ca];
    if (cert !== undefined && key !== undefined) Object.assign(tls, { cert, key });
    out.ssl = Object.keys(tls).length === 1 && rejectUnauthorized ? true : tls;
  }
  if (problems.length > 0) throw new ConnectionConfigError(problems);
  return out;
}

/** Names the mechanism and TLS state for logs and health details (never the credentials). */
export function describeKafkaSecurity(s: KafkaSecurity): string {
  const sasl = s.sasl ? `SASL ${s.sasl.mechanism.toUpperCase()}` : 'no SASL';
  return `${s.ssl ? 'TLS' : 'plaintext'}, ${sasl}`;
}
