import { Inject, Injectable } from '@nestjs/common';
import { DeadLetter, RawEvent, RejectionCode, validateRawEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { CleaningRepository, StoredDeadLetter } from '../infrastructure/cleaning.repository';
import { deadLetterRow } from './dead-letter-row';

export interface DeadLetterView {
  id: string;
  tenantId: string | null;
  reason: string;
  message: string;
  eventId: string | null;
  eventType: string | null;
  originalTopic: string;
  originalPartition: number | null;
  originalOffset: string | null;
  /** The original message decoded as JSON when it is JSON, else null (see originalBase64). */
  original: unknown;
  originalBase64: string;
  details: unknown;
  createdAt: string;
  replayedAt: string | null;
}

export interface ReplayResult {
  replayed: string[];
  /** Letters replayed before: replay is idempotent, a letter is re-published once. */
  alreadyReplayed: string[];
  notReplayable: { id: string; reason: string }[];
  notFound: string[];
  how: string;
}

function decode(base64: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export function toView(d: StoredDeadLetter): DeadLetterView {
  return {
    id: d.deadLetterId,
    tenantId: d.tenantId,
    reason: d.reason,
    message: d.message,
    eventId: d.eventId,
    eventType: d.eventType,
    originalTopic: d.originalTopic,
    originalPartition: d.originalPartition,
    originalOffset: d.originalOffset,
    original: decode(d.originalBase64),
    originalBase64: d.originalBase64,
    details: d.details,
    createdAt: d.createdAt,
    replayedAt: d.replayedAt,
  };
}

/**
 * A letter the bus wrote for cleaning (envelope invalid on ingest.raw.v1, not JSON, or a handler
 * failure) gets the sharper reason where the issue says what was wrong: an unknown `source` value →
 * unknown_source, an unparseable occurredAt/receivedAt → format_violation. The topic keeps the bus's reason.
 */
export function refineReason(letter: DeadLetter): string {
  if (letter.reason !== (RejectionCode.SchemaViolation as string) || !Array.isArray(letter.details)) return letter.reason;
  const paths = (letter.details as { path?: unknown }[]).map((i) => (typeof i.path === 'string' ? i.path : JSON.stringify(i.path ?? '')));
  if (paths.includes('source')) return RejectionCode.UnknownSource;
  if (paths.length > 0 && paths.every((p) => p === 'occurredAt' || p === 'receivedAt')) return RejectionCode.FormatViolation;
  return letter.reason;
}

@Injectable()
export class DeadLettersUseCase {
  constructor(
    @Inject(CleaningRepository) private readonly repo: CleaningRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
  ) {}

  async list(
    tenantId: string,
    q: { reason?: string; from?: string; to?: string; limit: number; cursor?: [string, string]; includeReplayed: boolean },
  ): Promise<{ items: DeadLetterView[]; count: number; nextCursor: string | null }> {
    const rows = await this.repo.listDeadLetters(tenantId, { ...q, before: q.cursor });
    const last = rows[rows.length - 1];
    return { items: rows.map(toView), count: rows.length, nextCursor: rows.length === q.limit && last ? `${last.createdAt}|${last.deadLetterId}` : null };
  }

  async get(tenantId: string, id: string): Promise<DeadLetterView> {
    const [d] = await this.repo.getDeadLetters(tenantId, [id]);
    if (!d) throw new DomainError(ErrorCode.NotFound, `no dead letter ${id} for this tenant`);
    return toView(d);
  }

  /**
   * Re-publishes the original events onto ingest.raw.v1 (same eventId), so they go through the whole
   * pipeline again: re-validated with today's rules and config, still deduplicated by eventId and
   * fingerprint. A letter whose original is not a valid raw envelope cannot be replayed. Idempotent:
   * each letter is claimed (replayed_at set where it was null) before it is published, so replaying
   * the same letter twice, or concurrently, publishes and counts it once (`alreadyReplayed`).
   */
  async replay(tenantId: string, ids: readonly string[]): Promise<ReplayResult> {
    const found = await this.repo.getDeadLetters(tenantId, ids);
    const byId = new Map(found.map((d) => [d.deadLetterId, d]));
    const notFound = ids.filter((id) => !byId.has(id));
    const notReplayable: { id: string; reason: string }[] = [];
    const candidates: { id: string; event: RawEvent }[] = [];
    const alreadyReplayed: string[] = [];
    for (const d of found) {
      if (d.replayedAt) {
        alreadyReplayed.push(d.deadLetterId);
        continue;
      }
      const v = validateRawEvent(decode(d.originalBase64));
      if (!v.ok) {
        notReplayable.push({ id: d.deadLetterId, reason: `original is not a valid raw envelope: ${v.message}` });
        continue;
      }
      if (v.value.tenantId !== tenantId) {
        notReplayable.push({ id: d.deadLetterId, reason: 'original belongs to another tenant' });
        continue;
      }
      candidates.push({ id: d.deadLetterId, event: v.value });
    }
    const at = new Date().toISOString();
    const claimed = new Set(await this.repo.claimForReplay(tenantId, candidates.map((c) => c.id), at));
    for (const c of candidates) if (!claimed.has(c.id)) alreadyReplayed.push(c.id); // a concurrent replay won
    const replayed = candidates.filter((c) => claimed.has(c.id));
    if (replayed.length) {
      try {
        await this.bus.publish('ingest.raw.v1', replayed.map((c) => c.event));
      } catch (e) {
        await this.repo.unclaimReplay(tenantId, replayed.map((c) => c.id), at);
        throw e;
      }
    }
    return {
      replayed: replayed.map((c) => c.id),
      alreadyReplayed,
      notReplayable,
      notFound,
      how: 'originals re-published onto ingest.raw.v1 with their eventId; cleaning re-validates them and still deduplicates by eventId and content fingerprint',
    };
  }

  /** Archives letters on events.dlq.v1 produced by cleaning (including the bus's own), idempotently. */
  async archive(letters: readonly DeadLetter[]): Promise<void> {
    // the handler's own letters (`cleaning-<partition>-<offset>`) were stored before they were published
    const mine = letters.filter((l) => l.service === 'cleaning' && l.originalTopic === 'ingest.raw.v1' && !l.deadLetterId.startsWith('cleaning-'));
    if (mine.length) await this.repo.insertDeadLetters(mine.map((l) => ({ ...deadLetterRow(l), reason: refineReason(l) })));
  }
}
