import { z } from 'zod';

const positive = (def: number) => z.coerce.number().int().min(1).default(def);

/** Ingestion's own environment (merged with the platform's); documented in .env.example and the README. */
export const ingestionConfigSchema = z.object({
  /** Token bucket per tenant, in events: sustained rate and burst (the effective burst is at least MAX_BATCH_EVENTS). */
  RATE_LIMIT_EVENTS_PER_SEC: positive(50_000),
  RATE_LIMIT_BURST: positive(100_000),
  /** Largest batch in items (the byte limit is HTTP_BODY_LIMIT_BYTES). */
  MAX_BATCH_EVENTS: positive(1000),
  /** How long to wait for Kafka's acknowledgement before answering 503. */
  PUBLISH_TIMEOUT_MS: positive(10_000),
  /** Accepted clock difference for signed webhooks (replay protection). */
  WEBHOOK_TOLERANCE_SEC: positive(300),
  /** Key (any string of 16+ chars) that encrypts webhook secrets and pseudonym keys at rest; unset = stored in clear. */
  SECRET_ENCRYPTION_KEY: z.string().min(16, 'at least 16 characters').optional(),
  /** `1` lets the distributed mode start without OPERATOR_TOKEN and SECRET_ENCRYPTION_KEY (local development and tests only). */
  LIVEPROMO_INSECURE_DEV: z.enum(['0', '1']).default('0'),
  /** Largest import-job upload. */
  IMPORT_MAX_BYTES: positive(32 * 1024 * 1024),
  /** Events per Kafka publish inside an import job. */
  IMPORT_BATCH_EVENTS: positive(1000),
});

export type IngestionConfig = z.infer<typeof ingestionConfigSchema>;

/**
 * Safe defaults: the distributed mode (production, docker compose) refuses to start without its
 * secrets unless LIVEPROMO_INSECURE_DEV=1 says this is a development machine. The embedded mode
 * generates an operator token at start instead (tools/embedded/main.ts).
 */
export function missingProductionSecrets(config: { LIVEPROMO_MODE: string; OPERATOR_TOKEN?: string; SECRET_ENCRYPTION_KEY?: string; LIVEPROMO_INSECURE_DEV: '0' | '1' }): { variable: string; message: string }[] {
  if (config.LIVEPROMO_MODE !== 'distributed' || config.LIVEPROMO_INSECURE_DEV === '1') return [];
  const why = 'is required in the distributed mode (set LIVEPROMO_INSECURE_DEV=1 to start without it on a development machine)';
  return [
    ...(config.OPERATOR_TOKEN ? [] : [{ variable: 'OPERATOR_TOKEN', message: why }]),
    ...(config.SECRET_ENCRYPTION_KEY ? [] : [{ variable: 'SECRET_ENCRYPTION_KEY', message: why }]),
  ];
}
