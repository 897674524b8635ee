import { DeadLetter } from '@livepromo/contracts';
import { DeadLetterRow } from '../infrastructure/cleaning.repository';

/** The Postgres row of a dead letter (the user id, for erasure, is read from the original unless given). */
export function deadLetterRow(l: DeadLetter, knownUserId?: string | null): DeadLetterRow {
  let userId: string | null = knownUserId ?? null;
  if (knownUserId === undefined)
    try {
      const decoded = JSON.parse(Buffer.from(l.originalBase64, 'base64').toString('utf8')) as { userId?: unknown };
      if (typeof decoded.userId === 'string') userId = decoded.userId.slice(0, 256);
    } catch {
      // not JSON: no user to record
    }
  return {
    deadLetterId: l.deadLetterId,
    tenantId: l.tenantId ?? null,
    reason: l.reason,
    message: l.message,
    eventId: l.eventId ?? null,
    eventType: l.eventType ?? null,
    userId,
    originalTopic: l.originalTopic,
    originalPartition: l.originalPartition ?? null,
    originalOffset: l.originalOffset ?? null,
    originalBase64: l.originalBase64,
    details: l.details,
    createdAt: l.failedAt,
  };
}
