import { z } from 'zod';

/**
 * A message that could not be handled: the original bytes plus why (Snowplow's "bad rows").
 * Never dropped: it is inspectable and replayable from `events.dlq.v1`.
 */
export const deadLetterSchema = z.object({
  deadLetterId: z.string().min(1),
  reason: z.string().min(1).max(64).describe('machine-readable RejectionCode or handler error code'),
  message: z.string().max(4000).describe('human-readable explanation'),
  service: z.string().min(1).max(64),
  attempts: z.number().int().min(0),
  failedAt: z.iso.datetime({ offset: true }),
  originalTopic: z.string(),
  originalPartition: z.number().int().optional(),
  originalOffset: z.string().optional(),
  originalKey: z.string().nullable().optional(),
  /** The original message value, base64-encoded so that any bytes survive. */
  originalBase64: z.string(),
  tenantId: z.string().optional(),
  eventId: z.string().optional(),
  eventType: z.string().optional(),
  details: z.unknown().optional(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;
