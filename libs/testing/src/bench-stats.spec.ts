import { percentile, summarise } from './bench-stats';

describe('bench statistics', () => {
  it('takes the nearest-rank percentile', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises an unsorted sample without changing it', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(summarise(xs)).toEqual({ n: 5, mean: 3, p50: 3, p90: 5, p99: 5, max: 5 });
    expect(xs).toEqual([5, 1, 4, 2, 3]);
  });
});
