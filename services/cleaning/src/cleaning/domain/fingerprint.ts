import { createHash } from 'node:crypto';
import { canonicalJson } from '@livepromo/contracts';

/** What identifies an event's content, whatever id the platform gave it. */
export interface FingerprintInput {
  tenantId: string;
  type: string;
  userId?: string;
  liveSessionId?: string;
  streamerId?: string;
  courseId?: string;
  occurredAtMs: number;
  /** The normalised payload (money in minor units, text NFKC): equal content gives equal JSON. */
  payload: unknown;
}

/**
 * Content fingerprint for events re-sent under a new id: sha256 over tenant, type, user, session,
 * streamer, course, the time bucket floor(occurredAt / bucketMs) and the canonical JSON of the
 * normalised payload (keys sorted); first 24 base64url characters (144 bits).
 * Two re-sends straddling a bucket boundary get different fingerprints (a documented miss).
 */
export function contentFingerprint(e: FingerprintInput, bucketMs: number): string {
  const bucket = Math.floor(e.occurredAtMs / bucketMs);
  return createHash('sha256')
    .update([e.tenantId, e.type, e.userId ?? '', e.liveSessionId ?? '', e.streamerId ?? '', e.courseId ?? '', String(bucket)].join('\u0000'))
    .update('\u0000')
    .update(canonicalJson(e.payload))
    .digest('base64url')
    .slice(0, 24);
}
