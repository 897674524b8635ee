import { buildReplaySchedule } from './replay-schedule';

describe('buildReplaySchedule', () => {
  it('sorts, divides gaps by speed, caps them and shifts occurredAt', () => {
    const events = [
      { id: 'c', occurredAt: '2026-01-01T00:01:40.000Z' },
      { id: 'a', occurredAt: '2026-01-01T00:00:00.000Z' },
      { id: 'b', occurredAt: '2026-01-01T00:00:20.000Z' },
    ];
    const s = buildReplaySchedule(events, { speed: 10, maxGapMs: 5000, startMs: Date.parse('2026-06-01T00:00:00.000Z') });
    expect(s.map((x) => x.event.id)).toEqual(['a', 'b', 'c']);
    // gaps 20 s and 80 s → 2 s and 8 s → capped 5 s
    expect(s.map((x) => x.sleepMs)).toEqual([0, 2000, 5000]);
    expect(s.map((x) => x.event.occurredAt)).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-01T00:00:02.000Z',
      '2026-06-01T00:00:07.000Z',
    ]);
  });

  it('rejects a non-positive speed', () => {
    expect(() => buildReplaySchedule([], { speed: 0, maxGapMs: 5000, startMs: 0 })).toThrow('speed');
  });
});
