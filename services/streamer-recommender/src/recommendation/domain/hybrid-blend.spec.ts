import { blend, DEFAULT_HYBRID_WEIGHTS, HybridWeights, popularityPrior, repeatComponents, scaleByMax } from './hybrid-blend';

describe('hybrid blend', () => {
  it('scales by the maximum and clips negatives', () => {
    expect(Array.from(scaleByMax(Float64Array.from([2, 4, -1])))).toEqual([0.5, 1, 0]);
    expect(Array.from(scaleByMax(Float64Array.from([0, 0])))).toEqual([0, 0]);
  });

  it('computes M = Σ δk·Ck + ε·B by hand', () => {
    const w: HybridWeights = { content: 0.5, cf: 0.25, repeat: 0, recency: 0, itemKnn: 0, popularity: 0.25 };
    const m = blend({ content: Float64Array.from([1, 0]), cf: Float64Array.from([0, 1]), popularity: Float64Array.from([1, 1]) }, w, 2);
    expect(Array.from(m)).toEqual([0.75, 0.5]);
  });

  it('gives popularity log(1+n)/log(1+max)', () => {
    const p = popularityPrior([0, 1, 3]);
    expect(p[0]).toBe(0);
    expect(p[1]).toBeCloseTo(Math.log(2) / Math.log(4), 12);
    expect(p[2]).toBe(1);
  });

  it('ranks repeat by frequency and recency by last interaction', () => {
    const { repeat, recency } = repeatComponents(
      [
        { item: 0, weight: 4, lastAt: 10 },
        { item: 2, weight: 2, lastAt: 30 },
      ],
      3,
    );
    expect(Array.from(repeat)).toEqual([1, 0, 0.5]);
    expect(Array.from(recency)).toEqual([0.5, 0, 1]);
  });

  it('has default weights summing to 1', () => {
    expect(Object.values(DEFAULT_HYBRID_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
