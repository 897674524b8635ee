import type { CanonicalEvent } from '@livepromo/contracts';
import { historicalSessions, PAST_WINDOW_MS } from './process-live-events.usecase';

const ev = (session: string, occurredAt: string, receivedAt: string, ingest?: CanonicalEvent['ingest']) =>
  ({ eventId: `${session}-${occurredAt}`, tenantId: 't', type: 'live.like', source: 'generic', occurredAt, receivedAt, schemaVersion: 1, liveSessionId: session, payload: { count: 1 }, ingest }) as CanonicalEvent;

describe('historicalSessions (no live suggestions for the past)', () => {
  it('marks a session fed by a backfill, or whose freshest event arrived more than PAST_WINDOW_MS late; a live session is not', () => {
    const lateBy = (ms: number) => new Date(Date.parse('2024-12-01T10:00:00Z') + ms).toISOString();
    const h = historicalSessions([
      ev('live', '2026-12-01T10:00:00Z', '2026-12-01T10:00:01Z'),
      ev('backfill', '2026-12-01T10:00:00Z', '2026-12-01T10:00:01Z', { mode: 'backfill', streamId: 'job_1' }),
      ev('old', '2024-12-01T10:00:00Z', lateBy(PAST_WINDOW_MS + 1)),
      ev('mixed', '2024-12-01T10:00:00Z', lateBy(2 * PAST_WINDOW_MS)),
      ev('mixed', '2026-12-01T10:00:00Z', '2026-12-01T10:00:02Z'),
    ]);
    expect([...h].sort()).toEqual(['backfill', 'old']);
  });
});
