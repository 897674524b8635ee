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
  /** Largest import-job upload. */
  IMPORT_MAX_BYTES: positive(32 * 1024 * 1024),
  /** Events per Kafka publish inside an import job. */
  IMPORT_BATCH_EVENTS: positive(1000),
});

export type IngestionConfig = z.infer<typeof ingestionConfigSchema>;
