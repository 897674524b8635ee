import { percentileRank, relativeChange } from './percentile';

describe('percentileRank (mid-rank)', () => {
  it('places 3 in [1, 2, 3, 4] at 100·(2 + ½)/4 = 62.5', () => {
    expect(percentileRank(3, [4, 1, 3, 2])).toBe(62.5);
  });
  it('gives 0 below every sample, 100 above every sample, 50 among equals', () => {
    expect(percentileRank(0, [1, 2, 3])).toBe(0);
    expect(percentileRank(9, [1, 2, 3])).toBe(100);
    expect(percentileRank(5, [5, 5, 5, 5])).toBe(50);
  });
  it('is null for an empty sample', () => {
    expect(percentileRank(1, [])).toBeNull();
  });
});

describe('relativeChange', () => {
  it('is (cur − prev)/|prev|, 0 for 0→0 and null for 0→x', () => {
    expect(relativeChange(15, 10)).toBe(0.5);
    expect(relativeChange(5, 10)).toBe(-0.5);
    expect(relativeChange(-5, -10)).toBe(0.5);
    expect(relativeChange(0, 0)).toBe(0);
    expect(relativeChange(3, 0)).toBeNull();
  });
});
