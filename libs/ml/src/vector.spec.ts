import { cosine, dot, l1Normalised, l2Normalised, norm } from './vector';
import { standardise } from './standardise';
import { topK } from './top-k';
import { mulberry32 } from './random';
import { mmrRerank } from './mmr';
import { rankingScores, simplexGrid } from './ranking-metrics';

describe('vectors', () => {
  it('computes dot, norm and cosine on hand-checked cases', () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(norm([3, 4])).toBe(5);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [-1, 0])).toBeCloseTo(-1, 12);
    // (1,1)·(1,0) / (√2·1) = 1/√2
    expect(cosine([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('returns 0 cosine for a zero vector instead of NaN', () => {
    expect(cosine([0, 0], [1, 2])).toBe(0);
  });

  it('normalises to unit length and to a distribution', () => {
    expect(Array.from(l2Normalised([3, 4]))).toEqual([0.6, 0.8]);
    expect(Array.from(l1Normalised([1, 3, -2]))).toEqual([0.25, 0.75, 0]);
  });
});

describe('standardise', () => {
  it('gives z-scores with population std and maps constant columns to 0', () => {
    // column 0: 1,2,3 → mean 2, std √(2/3); column 1 constant
    const s = standardise(Float64Array.from([1, 5, 2, 5, 3, 5]), 3, 2);
    expect(s.mean[0]).toBe(2);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(s.z[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 12);
    expect(s.z[1]).toBe(0);
  });
});

describe('topK', () => {
  it('returns the k largest indices best first, ties by lower index, honouring skip', () => {
    expect(topK([0.1, 0.9, 0.5, 0.9, 0.3], 3)).toEqual([1, 3, 2]);
    expect(topK([0.1, 0.9, 0.5, 0.9, 0.3], 2, (i) => i === 1)).toEqual([3, 2]);
    expect(topK([1, 2], 5)).toEqual([1, 0]);
  });
});

describe('seeded random', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    for (let i = 0; i < 5; i++) expect(a()).toBe(b());
  });
});

describe('mmr', () => {
  it('prefers a less similar item over a near-duplicate of the first pick', () => {
    // items 0 and 1 are duplicates (sim 1); item 2 is different and only slightly less relevant
    const sim = (a: number, b: number) => ((a === 0 && b === 1) || (a === 1 && b === 0) ? 1 : 0);
    expect(mmrRerank([1, 0.95, 0.9], sim, 2, 0.5)).toEqual([0, 2]);
    expect(mmrRerank([1, 0.95, 0.9], sim, 2, 1)).toEqual([0, 1]);
  });
});

describe('ranking metrics', () => {
  it('scores a list with the relevant item at rank 2', () => {
    const r = rankingScores([5, 7, 9], new Set([7]), 10);
    expect(r.hit).toBe(1);
    expect(r.recall).toBe(1);
    expect(r.rr).toBe(0.5);
    expect(r.ndcg).toBeCloseTo(1 / Math.log2(3), 12);
  });

  it('averages reciprocal ranks over every relevant item for itemRr', () => {
    // relevant 5 at rank 1 and 9 at rank 3, 4 not shown: (1 + 1/3 + 0) / 3
    const r = rankingScores([5, 7, 9], new Set([5, 9, 4]), 10);
    expect(r.rr).toBe(1);
    expect(r.itemRr).toBeCloseTo((1 + 1 / 3) / 3, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
  });

  it('enumerates the simplex grid', () => {
    const g = simplexGrid(3, 0.5);
    expect(g).toHaveLength(6);
    for (const w of g) expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
