import { chunks, counterColumn, placeholders } from './live-state.sql';

describe('live-state SQL helpers', () => {
  it('names counter columns with a prefix so that `left` is not SQL', () => {
    expect(counterColumn('left')).toBe('c_left');
    expect(counterColumn('newViewers')).toBe('c_new_viewers');
  });
  it('numbers multi-row placeholders', () => {
    expect(placeholders(2, 3)).toBe('($1,$2,$3),($4,$5,$6)');
    expect(placeholders(1, 2, 4)).toBe('($5,$6)');
  });
  it('splits rows under the parameter limit', () => {
    expect(chunks([1, 2, 3, 4, 5], 10, 20).map((c) => c.length)).toEqual([2, 2, 1]);
  });
});
