import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresConfigError, postgresConnectionFromEnv } from './pg-tls';

const dir = mkdtempSync(join(tmpdir(), 'lp-pgtls-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, 'CA-PEM');
const base = 'postgres://u:p@db.example:5432/app';

describe('postgresConnectionFromEnv', () => {
  it('is plaintext without sslmode', () => {
    expect(postgresConnectionFromEnv(base, {})).toEqual({ url: base, ssl: false, mode: 'disable' });
  });

  it('maps libpq sslmodes and strips the ssl parameters from the URL', () => {
    const req = postgresConnectionFromEnv(`${base}?sslmode=require&application_name=x`, {});
    expect(req).toEqual({ url: `${base}?application_name=x`, ssl: { rejectUnauthorized: false }, mode: 'require' });
    const full = postgresConnectionFromEnv(`${base}?sslmode=verify-full`, { DATABASE_SSL_CA_FILE: ca });
    expect(full).toEqual({ url: base, ssl: { ca: 'CA-PEM', rejectUnauthorized: true }, mode: 'verify-full' });
    const vca = postgresConnectionFromEnv(`${base}?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}`, {});
    expect(vca.mode).toBe('verify-ca');
    expect(vca.ssl).toMatchObject({ ca: 'CA-PEM', rejectUnauthorized: true });
    expect((vca.ssl as { checkServerIdentity: () => unknown }).checkServerIdentity()).toBeUndefined();
    // require with a CA checks the chain, as libpq does
    expect(postgresConnectionFromEnv(`${base}?sslmode=require`, { DATABASE_SSL_CA_FILE: ca }).mode).toBe('verify-ca');
  });

  it('refuses what node-postgres cannot honour, and a CA without TLS', () => {
    expect(() => postgresConnectionFromEnv(`${base}?sslmode=prefer`, {})).toThrow(/sslmode=prefer is not supported/);
    expect(() => postgresConnectionFromEnv(base, { DATABASE_SSL_CA_FILE: ca })).toThrow(PostgresConfigError);
    expect(() => postgresConnectionFromEnv(`${base}?sslmode=verify-full`, { DATABASE_SSL_CA_FILE: join(dir, 'nope') })).toThrow(/cannot read CA file/);
  });
});
