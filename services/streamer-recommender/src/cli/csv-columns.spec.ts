import { looksLikeHeader, parseTime, resolveColumns } from './csv-columns';

describe('eval CSV columns', () => {
  it('reads the Twitch header by name (row index first, the community column is not a weight)', () => {
    const h = ['', 'user_id', 'streamer_name', 'start_time', 'community'];
    expect(looksLikeHeader(h)).toBe(true);
    expect(resolveColumns(h, h.length)).toEqual({ u: 1, i: 2, t: 3, w: undefined, c: undefined });
    expect(resolveColumns(h, h.length, { contentCol: 'community' }).c).toBe(4);
  });

  it('keeps the first row of a headerless file whose ids are not numbers, and uses its 4th column as the weight', () => {
    const row = ['alice', 'streamer-b', '2024-01-01T10:00:00Z', '3'];
    expect(looksLikeHeader(row)).toBe(false);
    expect(looksLikeHeader(['7', '12', '1700000000'])).toBe(false);
    expect(resolveColumns(null, 4)).toEqual({ u: 0, i: 1, t: 2, w: 3, c: undefined });
    expect(resolveColumns(null, 3).w).toBeUndefined();
  });

  it('treats user,item,timestamp,weight under any header names as that layout', () => {
    const h = ['who', 'what', 'when', 'how_much'];
    expect(looksLikeHeader(h)).toBe(true);
    expect(resolveColumns(h, 4)).toEqual({ u: 0, i: 1, t: 2, w: 3, c: undefined });
    expect(resolveColumns(['user', 'item', 'ts', 'w'], 4).w).toBe(3);
    expect(resolveColumns(['user_id', 'item_id', 'timestamp', 'rating', 'weight'], 5).w).toBe(4);
  });

  it('honours flags by name or index and fails naming a missing column', () => {
    const h = ['ts', 'viewer', 'channel', 'minutes'];
    expect(looksLikeHeader(h, { userCol: 'viewer' })).toBe(true);
    expect(resolveColumns(h, 4, { userCol: 'viewer', itemCol: 'channel', timeCol: '0', weightCol: 'minutes' })).toEqual({ u: 1, i: 2, t: 0, w: 3, c: undefined });
    expect(() => resolveColumns(h, 4, { userCol: 'nobody' })).toThrow('column "nobody" not in header');
  });

  it('parses numeric steps and ISO dates, and refuses anything else', () => {
    expect(parseTime('93')).toBe(93);
    expect(parseTime('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(() => parseTime('')).toThrow('unparseable timestamp');
    expect(() => parseTime('start_time')).toThrow('unparseable timestamp');
  });
});
