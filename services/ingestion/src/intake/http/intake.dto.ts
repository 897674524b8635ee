import { z } from 'zod';
import { SOURCES } from '@livepromo/contracts';

/** What a sender posts per event: the canonical envelope; ingestion fills what it may. */
export const submittedEventSchema = z
  .object({
    eventId: z.string().optional().describe('kept for dedup downstream; deterministic id when absent'),
    tenantId: z.string().optional().describe('optional; must equal the tenant of the API key, otherwise the item is rejected (tenant_mismatch)'),
    type: z.string().describe('canonical event type, e.g. course.viewed, order.paid, live.comment.posted'),
    source: z.enum(SOURCES).optional().describe('default generic'),
    occurredAt: z.string().describe('ISO-8601 with offset'),
    userId: z.string().optional(),
    streamerId: z.string().optional(),
    liveSessionId: z.string().optional(),
    courseId: z.string().optional(),
    payload: z.record(z.string(), z.unknown()).optional().describe('typed by `type`; validated by the cleaning service'),
  })
  .describe('receivedAt is always set by ingestion');

export const EXAMPLE_EVENT = {
  type: 'order.paid',
  occurredAt: '2026-11-28T20:15:03+08:00',
  userId: 'u-1001',
  streamerId: 's-7',
  liveSessionId: 'ls-2026-11-28-a',
  courseId: 'python-101',
  payload: { orderId: 'o-88231', amount: { amountMinor: 19900, currency: 'CNY' } },
};

export const batchResultSchema = z.object({
  accepted: z.number().int().describe('distinct events written to Kafka'),
  duplicates: z.number().int().describe('items repeating an earlier item of the same batch (same eventId): written once, not counted as accepted'),
  rejected: z.number().int().describe('accepted + duplicates + rejected = items submitted'),
  results: z.array(
    z.object({
      index: z.number().int(),
      status: z.enum(['accepted', 'rejected']),
      eventId: z.string().optional(),
      duplicateInBatch: z.boolean().optional(),
      code: z.string().optional().describe('schema_violation, tenant_mismatch, malformed_json (NDJSON line), json_too_deep (nested over 64 levels), unknown_platform_event, ...'),
      message: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});
