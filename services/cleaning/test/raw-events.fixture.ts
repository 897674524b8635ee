import { partitionKey } from '@livepromo/contracts';

/** Builds raw envelopes as ingestion would put them on ingest.raw.v1 (payload unvalidated). */
export interface RawInput {
  eventId: string;
  tenantId: string;
  type: string;
  source: string;
  occurredAt: string | number;
  receivedAt: string;
  userId?: string;
  streamerId?: string;
  liveSessionId?: string;
  courseId?: string;
  schemaVersion?: number;
  payload: Record<string, unknown>;
}

export const iso = (ms: number) => new Date(ms).toISOString();

export function rawFactory(tenantId: string, runTag: string, baseMs: number) {
  let n = 0;
  return (type: string, over: Partial<RawInput> = {}): RawInput => {
    n++;
    // receivedAt follows the occurredAt given (500 ms later) unless set explicitly
    const occurred = typeof over.occurredAt === 'string' ? Date.parse(over.occurredAt) : baseMs + n * 10;
    return {
      eventId: `e-${runTag}-${n}`,
      tenantId,
      type,
      source: 'douyin',
      occurredAt: iso(baseMs + n * 10),
      receivedAt: iso(occurred + 500),
      userId: 'u-1',
      schemaVersion: 1,
      payload: {},
      ...over,
    };
  };
}

/** Kafka message for a raw event: keyed like the topic's key rule; `value` may be replaced by raw bytes. */
export function toMessage(e: RawInput): { key: string | null; value: string } {
  return { key: partitionKey('session-or-user', e), value: JSON.stringify(e) };
}
