import { createHash } from 'node:crypto';

/**
 * Deterministic event id for senders that give none: the same logical event sent twice
 * gets the same id, so it is deduplicated downstream. Hash of tenant, type, source,
 * occurredAt, the entity ids and the canonical JSON of the payload.
 */
export function deterministicEventId(e: {
  tenantId: string;
  type: string;
  source: string;
  occurredAt: string;
  userId?: string;
  streamerId?: string;
  liveSessionId?: string;
  courseId?: string;
  payload: unknown;
}): string {
  const h = createHash('sha256');
  h.update(
    [e.tenantId, e.type, e.source, e.occurredAt, e.userId ?? '', e.streamerId ?? '', e.liveSessionId ?? '', e.courseId ?? ''].join('\u0000'),
  );
  h.update('\u0000');
  h.update(canonicalJson(e.payload));
  return `d-${h.digest('base64url').slice(0, 32)}`;
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}
