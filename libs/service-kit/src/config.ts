import { z } from 'zod';

const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'each broker must be host:port')).min(1, 'at least one broker'));

/** Environment every service reads. Defaults are the local development addresses. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).describe("0 picks a free port"),
  LIVEPROMO_MODE: z.enum(['distributed', 'embedded']).default('distributed'),
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/postgres'),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Prefix for topics, consumer groups, Postgres schemas and Redis keys (test isolation, shared clusters). */
  LIVEPROMO_TOPIC_PREFIX: z.string().regex(/^[a-z0-9_.-]*$/, 'lowercase letters, digits, . _ -').default(''),
  LIVEPROMO_SCHEMA_PREFIX: z.string().regex(/^[a-z0-9_]*$/, 'lowercase letters, digits, _').default(''),
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Admin token for operator routes (tenant and key management); admin routes answer 503 without it. */
  OPERATOR_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Partition count override for provisioning (tests use fewer). */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).optional(),
  /** Replication factor of topics a service creates when missing (default 1: the single-node dev broker; 3 on a real cluster). */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).optional(),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      `invalid configuration for ${service}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n') +
        `\nSee services/${service}/.env.example and the configuration table in README.md.`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at boot, into one typed object; fails naming each variable.
 * Empty strings count as unset, so `FOO=` in a compose file falls back to the default.
 */
export function loadConfig<S extends z.ZodObject>(service: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      service,
      parsed.error.issues.map((i) => ({
        variable: String(i.path[0] ?? '(env)'),
        message: i.code === 'invalid_type' && cleaned[String(i.path[0])] === undefined ? 'is required but not set' : `${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`,
      })),
    );
  }
  return parsed.data;
}
