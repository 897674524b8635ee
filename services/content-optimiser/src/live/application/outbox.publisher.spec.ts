import { bySize } from './outbox.publisher';

describe('bySize', () => {
  it('keeps each publish request under the byte limit, in order, never splitting a message', () => {
    const msgs = Array.from({ length: 5 }, (_, i) => ({ i, pad: 'x'.repeat(40) }));
    const one = Buffer.byteLength(JSON.stringify(msgs[0]));
    const parts = bySize(msgs, one * 2);
    expect(parts.map((p) => p.map((m) => m.i))).toEqual([[0, 1], [2, 3], [4]]);
    expect(bySize([{ big: 'y'.repeat(100) }], 10)).toHaveLength(1);
    expect(bySize([], 10)).toEqual([]);
  });
});
