import { z } from 'zod';

/** Platforms we accept events from. `generic` is the documented neutral format. */
export const SOURCES = ['douyin', 'kuaishou', 'taobao', 'wechat-channels', 'generic', 'livepromo'] as const;
export const sourceSchema = z.enum(SOURCES);
export type Source = z.infer<typeof sourceSchema>;

/** Identifiers: printable, bounded, no whitespace. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:@\-/+=]+$/u, 'must be 1-128 chars of letters, digits and . : @ - / + = _');

export const tenantIdSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ or -');

export const isoTimestampSchema = z.iso.datetime({ offset: true });

/** Money in integer minor units (fen for CNY). Never floats. */
export const moneySchema = z.object({
  amountMinor: z.number().int().describe('integer minor units, e.g. fen for CNY'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .describe('ISO 4217 code'),
});
export type Money = z.infer<typeof moneySchema>;

export const CURRENT_SCHEMA_VERSION = 1;

/**
 * Fields every envelope carries, whatever its type. `payload` is typed per event type
 * in the canonical union; on `ingest.raw.v1` it is still unvalidated.
 */
export const envelopeBaseShape = {
  eventId: idSchema.describe('dedup key; deterministic when the sender did not give one'),
  tenantId: tenantIdSchema,
  source: sourceSchema,
  occurredAt: isoTimestampSchema.describe('when it happened at the source, ISO-8601 with offset'),
  receivedAt: isoTimestampSchema.describe('when livepromo received it'),
  userId: idSchema.optional(),
  streamerId: idSchema.optional(),
  liveSessionId: idSchema.optional(),
  courseId: idSchema.optional(),
  schemaVersion: z.number().int().min(1).default(CURRENT_SCHEMA_VERSION),
  /** Set by cleaning for events that arrived after the window closed but within allowed lateness. */
  late: z.boolean().optional(),
  /**
   * How the event entered livepromo (set by ingestion; absent = live). `backfill` events (imports, batch
   * `?mode=backfill`) are history: cleaning applies no live lateness window to them, and consumers treat
   * them in event time (no live suggestions). `streamId` names the stream (an import job id) whose
   * outcomes cleaning counts (`import.outcome.counted`).
   */
  ingest: z
    .object({
      mode: z.enum(['live', 'backfill']),
      streamId: idSchema.optional(),
    })
    .optional(),
} as const;
