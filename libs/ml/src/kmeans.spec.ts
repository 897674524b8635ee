import { kMeans, kMeansBySilhouette, silhouette } from './kmeans';
import { gaussian, mulberry32 } from './random';

function blobs(centres: number[][], perBlob: number, spread: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const d = centres[0].length;
  const out = new Float64Array(centres.length * perBlob * d);
  let r = 0;
  for (const c of centres)
    for (let i = 0; i < perBlob; i++, r++) for (let j = 0; j < d; j++) out[r * d + j] = c[j] + spread * gaussian(rng);
  return out;
}

describe('k-means', () => {
  it('separates three well-separated blobs exactly', () => {
    const data = blobs([[0, 0], [10, 10], [-10, 10]], 30, 0.5, 3);
    const r = kMeans(data, 90, 2, 3, { seed: 1 });
    for (let b = 0; b < 3; b++) {
      const labels = new Set(Array.from(r.labels.subarray(b * 30, b * 30 + 30)));
      expect(labels.size).toBe(1);
    }
    expect(new Set(Array.from(r.labels)).size).toBe(3);
  });

  it('finds the hand-computed centroids of a tiny case', () => {
    // {0,2} and {10,12} on a line: centroids 1 and 11, inertia 1+1+1+1 = 4
    const r = kMeans(Float64Array.from([0, 2, 10, 12]), 4, 1, 2, { seed: 2 });
    expect(Array.from(r.centroids).sort((a, b) => a - b)).toEqual([1, 11]);
    expect(r.inertia).toBe(4);
  });

  it('is deterministic for a seed', () => {
    const data = blobs([[0, 0], [5, 5]], 20, 1, 9);
    expect(Array.from(kMeans(data, 40, 2, 2, { seed: 4 }).labels)).toEqual(Array.from(kMeans(data, 40, 2, 2, { seed: 4 }).labels));
  });

  it('computes the silhouette of a hand-checked case', () => {
    // points 0,1 | 10,11: a = 1, b = mean distance to the other pair
    const data = Float64Array.from([0, 1, 10, 11]);
    const labels = Int32Array.from([0, 0, 1, 1]);
    // s(0) = (10.5 − 1)/10.5, s(1) = (9.5 − 1)/9.5, symmetric for the other pair
    const expected = ((9.5 / 10.5 + 8.5 / 9.5) * 2) / 4;
    expect(silhouette(data, 4, 1, labels, 2)).toBeCloseTo(expected, 12);
  });

  it('chooses k = 4 by silhouette for four blobs', () => {
    const data = blobs([[0, 0], [10, 0], [0, 10], [10, 10]], 25, 0.6, 11);
    const r = kMeansBySilhouette(data, 100, 2, 2, 7, { seed: 3 });
    expect(r.k).toBe(4);
    expect(r.silhouette).toBeGreaterThan(0.8);
    expect(r.tried.map((t) => t.k)).toEqual([2, 3, 4, 5, 6, 7]);
  });
});
