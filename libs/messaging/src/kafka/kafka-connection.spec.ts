import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionConfigError, describeKafkaSecurity, kafkaSecurityFromEnv } from './kafka-connection';

const dir = mkdtempSync(join(tmpdir(), 'lp-kconn-'));
const ca = join(dir, 'ca.pem');
const pw = join(dir, 'pw');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
writeFileSync(pw, 's3cret\n');

function problems(env: Record<string, string>): string[] {
  try {
    kafkaSecurityFromEnv(env);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectionConfigError);
    return (e as ConnectionConfigError).problems.map((p) => p.variable);
  }
}

describe('kafkaSecurityFromEnv', () => {
  it('is plaintext without variables', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({});
    expect(describeKafkaSecurity({})).toBe('plaintext, no SASL');
  });

  it('builds SCRAM over TLS with a CA, the password read from a file without its newline', () => {
    const s = kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: pw, KAFKA_SSL: '1', KAFKA_SSL_CA_FILE: ca });
    expect(s.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 's3cret' });
    expect(s.ssl).toEqual({ rejectUnauthorized: true, ca: [expect.stringContaining('BEGIN CERTIFICATE')] });
    expect(describeKafkaSecurity(s)).toBe('TLS, SASL SCRAM-SHA-256');
  });

  it('uses the system CAs for KAFKA_SSL=1 alone', () => {
    expect(kafkaSecurityFromEnv({ KAFKA_SSL: 'true' })).toEqual({ ssl: true });
  });

  it('names every inconsistent variable at once, never the secret', () => {
    expect(problems({ KAFKA_SASL_MECHANISM: 'gssapi' })).toEqual(['KAFKA_SASL_MECHANISM']);
    expect(problems({ KAFKA_SASL_MECHANISM: 'plain' })).toEqual(['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']);
    expect(problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual(['KAFKA_SASL_MECHANISM']);
    expect(problems({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: pw })).toEqual(['KAFKA_SASL_PASSWORD']);
    expect(problems({ KAFKA_SSL_CA_FILE: ca })).toEqual(['KAFKA_SSL']);
    expect(problems({ KAFKA_SSL: '1', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') })).toEqual(['KAFKA_SSL_CA_FILE']);
    expect(problems({ KAFKA_SSL: '1', KAFKA_SSL_CERT_FILE: ca })).toEqual(['KAFKA_SSL_KEY_FILE']);
    expect(problems({ KAFKA_SSL: 'maybe' })).toEqual(['KAFKA_SSL']);
    try {
      kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'nope', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2-secret' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2-secret');
    }
  });

  it('adds a client certificate for mutual TLS', () => {
    const s = kafkaSecurityFromEnv({ KAFKA_SSL: '1', KAFKA_SSL_CERT_FILE: ca, KAFKA_SSL_KEY_FILE: pw });
    expect(s.ssl).toMatchObject({ cert: expect.stringContaining('CERTIFICATE'), key: 's3cret\n', rejectUnauthorized: true });
  });
});
