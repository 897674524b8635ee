import { CURRENT_SCHEMA_VERSION, deterministicEventId, RejectionCode, Source, validateRawEvent } from '@livepromo/contracts';
import { ItemOutcome } from './intake-result';

export interface NormaliseContext {
  /** The authenticated tenant (from the API key or the webhook signature), never from the body. */
  tenantId: string;
  /** ISO time of receipt, stamped on every event of the request. */
  receivedAt: string;
  /** Source when the sender gave none. */
  defaultSource: Source;
  /** Keyed pseudonymisation of userId, when the tenant asked for it. */
  pseudonymise?: (userId: string) => string;
  /** How these events entered (absent = live): backfill for imports and `?mode=backfill`, with the job as stream. */
  ingest?: { mode: 'live' | 'backfill'; streamId?: string };
}

/**
 * Turns one submitted item into the envelope published on `ingest.raw.v1`:
 * - an item naming another tenant is **rejected** (`tenant_mismatch`), never rewritten;
 *   a missing tenantId is filled from the authenticated tenant;
 * - `receivedAt` is always ours; `source` defaults to `defaultSource`, `schemaVersion` to 1, `payload` to {};
 * - `userId` is pseudonymised when the tenant asked for it;
 * - a missing `eventId` becomes `deterministicEventId(...)` (same logical event, same id), a given one is kept;
 * - the envelope is validated (`validateRawEvent`); the payload is left to cleaning.
 */
export function normaliseEnvelope(item: unknown, ctx: NormaliseContext): ItemOutcome {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { ok: false, code: RejectionCode.SchemaViolation, message: 'event must be a JSON object' };
  }
  const raw = item as Record<string, unknown>;
  if (raw.tenantId !== undefined && raw.tenantId !== ctx.tenantId) {
    return {
      ok: false,
      code: 'tenant_mismatch',
      message: `event names tenant ${JSON.stringify(raw.tenantId)} but the credentials belong to ${ctx.tenantId}; omit tenantId or send the right one`,
    };
  }
  // one object literal of fixed shape (fast property access for validation and serialisation);
  // unknown top-level fields are dropped here exactly as the envelope schema would drop them
  const source = raw.source ?? ctx.defaultSource;
  const payload = raw.payload ?? {};
  const userId = ctx.pseudonymise && typeof raw.userId === 'string' && raw.userId ? ctx.pseudonymise(raw.userId) : raw.userId;
  let eventId = raw.eventId;
  if (eventId === undefined || eventId === null || eventId === '') {
    eventId = deterministicEventId({
      tenantId: ctx.tenantId,
      type: String(raw.type),
      source: typeof source === 'string' ? source : JSON.stringify(source),
      occurredAt: String(raw.occurredAt),
      userId: typeof userId === 'string' ? userId : undefined,
      streamerId: typeof raw.streamerId === 'string' ? raw.streamerId : undefined,
      liveSessionId: typeof raw.liveSessionId === 'string' ? raw.liveSessionId : undefined,
      courseId: typeof raw.courseId === 'string' ? raw.courseId : undefined,
      payload,
    });
  }
  const e = {
    eventId,
    tenantId: ctx.tenantId,
    type: raw.type,
    source,
    occurredAt: raw.occurredAt,
    receivedAt: ctx.receivedAt,
    userId,
    streamerId: raw.streamerId,
    liveSessionId: raw.liveSessionId,
    courseId: raw.courseId,
    schemaVersion: raw.schemaVersion ?? CURRENT_SCHEMA_VERSION,
    payload,
    ingest: ctx.ingest,
  };
  const v = validateRawEvent(e);
  if (!v.ok) return { ok: false, code: v.code, message: v.message, issues: v.issues };
  return { ok: true, event: v.value };
}
