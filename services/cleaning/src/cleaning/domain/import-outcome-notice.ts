import { createHash } from 'node:crypto';
import type { EventOf } from '@livepromo/contracts';

/** Outcome label of one backfill-stream message, as stored per message position. */
export type StreamOutcome = 'clean' | 'duplicate' | `dead_lettered:${string}` | `discarded:${string}`;

export const DUPLICATE_REASONS: ReadonlySet<string> = new Set(['duplicate_event_id', 'duplicate_fingerprint']);

/** The outcome label of a counted discard: duplicates are one bucket, the rest keep their reason. */
export function discardOutcome(reason: string): StreamOutcome {
  return DUPLICATE_REASONS.has(reason) ? 'duplicate' : `discarded:${reason}`;
}

/**
 * `import.outcome.counted` for one stream (import job) from its cumulative per-outcome counts:
 * total = clean + duplicate + Σ deadLettered + Σ discarded. Cumulative, so a consumer keeps the
 * largest total it has seen; the event id is a function of stream and total (announcing the same
 * count twice is the same event).
 */
export function importOutcomeNotice(
  tenantId: string,
  streamId: string,
  counts: readonly { outcome: string; n: number }[],
  nowIso: string,
): EventOf<'import.outcome.counted'> {
  const payload = { streamId, total: 0, clean: 0, duplicate: 0, deadLettered: {} as Record<string, number>, discarded: {} as Record<string, number> };
  for (const { outcome, n } of counts) {
    payload.total += n;
    if (outcome === 'clean') payload.clean += n;
    else if (outcome === 'duplicate') payload.duplicate += n;
    else if (outcome.startsWith('dead_lettered:')) payload.deadLettered[outcome.slice('dead_lettered:'.length)] = n;
    else payload.discarded[outcome.replace(/^discarded:/, '')] = n;
  }
  const raw = `impout-${streamId}-${payload.total}`;
  const eventId = raw.length <= 128 ? raw : `impout-${createHash('sha256').update(`${streamId}\u0000${payload.total}`).digest('hex')}`;
  return { eventId, tenantId, type: 'import.outcome.counted', source: 'livepromo', occurredAt: nowIso, receivedAt: nowIso, schemaVersion: 1, payload };
}
