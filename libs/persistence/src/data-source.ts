import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { Client } from 'pg';
import type { ConnectionOptions, TlsOptions } from 'node:tls';

export interface ServiceDataSourceOptions {
  /** postgres://user:pass@host:port/db */
  url: string;
  /** The service's own schema: services never read each other's tables. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  logging?: boolean;
  /** TLS for the connection (see postgresConnectionFromEnv; pass its stripped url too). Off when unset. */
  ssl?: false | ConnectionOptions;
  /**
   * Serialise schema creation and migrations across replicas with a Postgres advisory lock (default true).
   * Without it two replicas booting together both run the first migration and one dies on a duplicate
   * `CREATE TABLE` (seen in test/e2e/replicas.e2e-spec.ts). Off for the embedded PGlite, which serves one
   * connection at a time (a held lock connection would block the DataSource's own).
   */
  migrationLock?: boolean;
}

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}": use lowercase letters, digits, _`);
  return schema;
}

/** Service name → Postgres schema (`user-profile` → `user_profile`), with an optional run prefix. */
export function schemaFor(service: string, prefix = ''): string {
  return assertSchemaName(`${prefix}${service}`.toLowerCase().replace(/[^a-z0-9_]/g, '_'));
}

/**
 * Creates the schema if needed, then opens a TypeORM DataSource bound to it and runs
 * pending migrations (each service's migrations table lives in its own schema).
 */
export async function openServiceDataSource(opts: ServiceDataSourceOptions): Promise<DataSource> {
  const schema = assertSchemaName(opts.schema);
  const client = new Client({ connectionString: opts.url, connectionTimeoutMillis: 15000, ...(opts.ssl ? { ssl: opts.ssl } : {}) });
  await client.connect();
  const lock = opts.migrationLock !== false;
  const lockKey = `livepromo:migrations:${schema}`;
  let open = true;
  const end = async () => {
    if (!open) return;
    open = false;
    await client.end().catch(() => undefined);
  };
  try {
    if (lock) await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    // Postgres takes search_path from the connection's startup options (below). The embedded PGlite
    // ignores startup options but keeps one session for every connection, so a SET sticks there.
    await client.query(`SET search_path TO "${schema}"`);
    if (!lock) await end();
    return await openAndMigrate(opts, schema);
  } finally {
    if (lock && open) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    await end();
  }
}

async function openAndMigrate(opts: ServiceDataSourceOptions, schema: string): Promise<DataSource> {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: opts.url,
    schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: opts.logging ?? false,
    // node-postgres takes tls.connect options (checkServerIdentity for verify-ca); TypeORM only types TlsOptions
    ...(opts.ssl ? { ssl: opts.ssl as TlsOptions } : {}),
    extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: 15000, options: `-c search_path="${schema}"` },
  };
  const ds = new DataSource(options);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

export async function pingDataSource(ds: DataSource): Promise<{ ok: boolean; detail: string }> {
  const r: { ok: number }[] = await ds.query('SELECT 1 AS ok');
  return { ok: r[0]?.ok === 1, detail: 'postgres answered SELECT 1' };
}

/** Drops a schema (tests). Refuses the public schema. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (schema === 'public') throw new Error('refusing to drop public');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${assertSchemaName(schema)}" CASCADE`);
  } finally {
    await client.end();
  }
}
