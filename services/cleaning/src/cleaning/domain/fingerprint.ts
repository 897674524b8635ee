import { hash } from 'node:crypto';
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
 * `exact` (types a user repeats on purpose within seconds: likes, comments…): the exact occurredAt in ms
 * instead of the bucket, so a user's second like half a second later is not taken for a re-send (and a
 * bot's burst reaches the bot detector instead of being counted as duplicates).
 */
export function contentFingerprint(e: FingerprintInput, bucketMs: number, exact = false): string {
  const bucket = exact ? `t${e.occurredAtMs}` : Math.floor(e.occurredAtMs / bucketMs);
  // one-shot hash of one string: the same digest as hashing the parts in turn, without a Hash object per event
  const text = `${e.tenantId}\u0000${e.type}\u0000${e.userId ?? ''}\u0000${e.liveSessionId ?? ''}\u0000${e.streamerId ?? ''}\u0000${e.courseId ?? ''}\u0000${bucket}\u0000${canonicalJson(e.payload)}`;
  return hash('sha256', text, 'base64url').slice(0, 24);
}
