import { alsLoss, choleskySolve, foldInUser, scoreAllItems, trainImplicitAls } from './als';
import { itemCosineNeighbours, itemKnnScores } from './item-knn';
import { gaussian, mulberry32 } from './random';
import { csrFromTriples, transpose } from './sparse';

describe('sparse matrices', () => {
  it('sums duplicate triples and transposes', () => {
    const m = csrFromTriples(2, 3, [0, 0, 1, 0], [2, 0, 1, 2], [1, 1, 5, 2]);
    expect(Array.from(m.ptr)).toEqual([0, 2, 3]);
    expect(Array.from(m.idx)).toEqual([0, 2, 1]);
    expect(Array.from(m.val)).toEqual([1, 3, 5]);
    const t = transpose(m);
    expect(Array.from(t.ptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(t.idx)).toEqual([0, 1, 0]);
    expect(Array.from(t.val)).toEqual([1, 5, 3]);
  });
});

describe('cholesky solve', () => {
  it('solves a hand-checked 2×2 system', () => {
    // [4 2; 2 3] x = [2; 1] → x = [0.5, 0]
    const out = new Float64Array(2);
    choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2, out);
    expect(out[0]).toBeCloseTo(0.5, 12);
    expect(out[1]).toBeCloseTo(0, 12);
  });
});

/** Planted rank-2 structure: 2 user groups × 2 item groups, users like only their group's items. */
function planted(seed: number) {
  const rng = mulberry32(seed);
  const users = 60;
  const items = 40;
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const heldOut: [number, number][] = [];
  for (let u = 0; u < users; u++)
    for (let i = 0; i < items; i++) {
      if (u % 2 !== i % 2) continue; // the planted block structure
      if (rng() < 0.5) continue; // observed at random
      if (rng() < 0.2) heldOut.push([u, i]);
      else {
        r.push(u);
        c.push(i);
        v.push(1 + Math.floor(rng() * 3));
      }
    }
  return { users, items, R: csrFromTriples(users, items, r, c, v), heldOut };
}

describe('implicit ALS', () => {
  it('lowers its loss at every iteration', () => {
    const { R } = planted(1);
    const m = trainImplicitAls(R, { factors: 4, iterations: 8, lambda: 0.1, alpha: 5, seed: 3, trackLoss: true });
    for (let i = 1; i < m.losses.length; i++) expect(m.losses[i]).toBeLessThanOrEqual(m.losses[i - 1] + 1e-9);
    expect(m.losses[m.losses.length - 1]).toBeLessThan(m.losses[0]);
    expect(alsLoss(R, m.userFactors, m.itemFactors, 4, 0.1, 5)).toBeCloseTo(m.losses[m.losses.length - 1], 6);
  });

  it('recovers a planted low-rank structure: held-out in-block pairs outrank out-of-block pairs (AUC > 0.95)', () => {
    const { R, heldOut, items } = planted(2);
    const m = trainImplicitAls(R, { factors: 4, iterations: 10, lambda: 0.1, alpha: 10, seed: 5 });
    let pairs = 0;
    let wins = 0;
    for (const [u, i] of heldOut) {
      const s = scoreAllItems(m, m.userFactors.subarray(u * 4, u * 4 + 4));
      for (let j = 0; j < items; j++) {
        if (j % 2 === u % 2) continue;
        pairs++;
        if (s[i] > s[j]) wins++;
      }
    }
    expect(wins / pairs).toBeGreaterThan(0.95);
  });

  it('with the conjugate-gradient solver also lowers the loss and reaches nearly the exact solution', () => {
    const { R, heldOut, items } = planted(2);
    const cg = trainImplicitAls(R, { factors: 4, iterations: 10, lambda: 0.1, alpha: 10, seed: 5, solver: 'cg', cgSteps: 3, trackLoss: true });
    const exact = trainImplicitAls(R, { factors: 4, iterations: 10, lambda: 0.1, alpha: 10, seed: 5, trackLoss: true });
    expect(cg.losses[cg.losses.length - 1]).toBeLessThan(cg.losses[0]);
    expect(cg.losses[cg.losses.length - 1]).toBeLessThan(exact.losses[exact.losses.length - 1] * 1.05);
    let pairs = 0;
    let wins = 0;
    for (const [u, i] of heldOut) {
      const s = scoreAllItems(cg, cg.userFactors.subarray(u * 4, u * 4 + 4));
      for (let j = 0; j < items; j++) {
        if (j % 2 === u % 2) continue;
        pairs++;
        if (s[i] > s[j]) wins++;
      }
    }
    expect(wins / pairs).toBeGreaterThan(0.95);
  });

  it('folds in a new user towards the block of their items', () => {
    const { R } = planted(4);
    const m = trainImplicitAls(R, { factors: 4, iterations: 8, seed: 1 });
    const x = foldInUser(m, [0, 2, 4], [1, 1, 1]);
    const s = scoreAllItems(m, x);
    const even = [6, 8, 10].map((i) => s[i]);
    const odd = [7, 9, 11].map((i) => s[i]);
    expect(Math.min(...even)).toBeGreaterThan(Math.max(...odd));
  });

  it('is deterministic for a seed', () => {
    const { R } = planted(6);
    const a = trainImplicitAls(R, { factors: 3, iterations: 2, seed: 9 });
    const b = trainImplicitAls(R, { factors: 3, iterations: 2, seed: 9 });
    expect(Array.from(a.itemFactors)).toEqual(Array.from(b.itemFactors));
    expect(gaussian(mulberry32(1))).toBe(gaussian(mulberry32(1)));
  });
});

describe('item-kNN', () => {
  it('computes cosine over user sets on a hand-checked case', () => {
    // item0 users {0,1}, item1 users {0,1}, item2 users {1}: sim(0,1)=2/2=1, sim(0,2)=1/√2
    const R = csrFromTriples(2, 3, [0, 0, 1, 1, 1], [0, 1, 0, 1, 2], [1, 1, 1, 1, 1]);
    const nb = itemCosineNeighbours(R, 5);
    const row0 = new Map<number, number>();
    for (let p = nb.ptr[0]; p < nb.ptr[1]; p++) row0.set(nb.idx[p], nb.sim[p]);
    expect(row0.get(1)).toBeCloseTo(1, 12);
    expect(row0.get(2)).toBeCloseTo(Math.SQRT1_2, 12);
    const s = itemKnnScores(nb, [2], [1]);
    expect(s[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(s[2]).toBe(0);
  });
});
