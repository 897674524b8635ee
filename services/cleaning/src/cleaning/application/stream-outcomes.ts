import type { DeadLetter, RawEvent } from '@livepromo/contracts';
import type { ConsumedMessage } from '@livepromo/messaging';
import type { DiscardRow, StreamOutcomeRow } from '../infrastructure/cleaning.repository';
import { discardOutcome } from '../domain/import-outcome-notice';

/**
 * The outcome rows of a batch's backfill-stream messages (those with `ingest.streamId`): dead-lettered by
 * reason, discarded (duplicate or by reason), else clean. Messages skipped as already handled get no row here
 * (their row was written by the attempt that handled them). Live-only batches cost one pass over `proceed`.
 */
export function streamOutcomeRows(
  letters: readonly DeadLetter[],
  discards: readonly DiscardRow[],
  kept: readonly { msg: ConsumedMessage<RawEvent> }[],
  proceed: readonly { msg: ConsumedMessage<RawEvent> }[],
): StreamOutcomeRow[] {
  const rows: StreamOutcomeRow[] = [];
  const discarded = new Set<string>();
  for (const d of discards) discarded.add(`${d.partition}:${d.offset}`);
  const streamOf = (m: ConsumedMessage<RawEvent>) => m.value.ingest?.streamId;
  for (const c of proceed) {
    const streamId = streamOf(c.msg);
    if (!streamId || discarded.has(`${c.msg.partition}:${c.msg.offset}`)) continue;
    rows.push({ partition: c.msg.partition, offset: c.msg.offset, tenantId: c.msg.value.tenantId, streamId, outcome: 'clean' });
  }
  return rows.concat(
    discardRows(discards, kept),
    letters.flatMap((l) => {
      const streamId = letterStream(l);
      return streamId && l.originalPartition !== undefined && l.originalOffset !== undefined && l.tenantId
        ? [{ partition: l.originalPartition, offset: String(l.originalOffset), tenantId: l.tenantId, streamId, outcome: `dead_lettered:${l.reason}` }]
        : [];
    }),
  );
}

function discardRows(discards: readonly DiscardRow[], kept: readonly { msg: ConsumedMessage<RawEvent> }[]): StreamOutcomeRow[] {
  if (!discards.length) return [];
  const streams = new Map<string, string>();
  for (const c of kept) {
    const s = c.msg.value.ingest?.streamId;
    if (s) streams.set(`${c.msg.partition}:${c.msg.offset}`, s);
  }
  return discards.flatMap((d) => {
    const streamId = streams.get(`${d.partition}:${d.offset}`);
    return streamId ? [{ partition: d.partition, offset: d.offset, tenantId: d.tenantId, streamId, outcome: discardOutcome(d.reason) }] : [];
  });
}

/** The stream of a dead letter, from its original bytes (only decoded when the bytes name a backfill stream). */
function letterStream(l: DeadLetter): string | undefined {
  const raw = Buffer.from(l.originalBase64, 'base64').toString('utf8');
  if (!raw.includes('"streamId"')) return undefined;
  try {
    const v = JSON.parse(raw) as { ingest?: { streamId?: unknown } };
    return typeof v.ingest?.streamId === 'string' ? v.ingest.streamId : undefined;
  } catch {
    return undefined;
  }
}
