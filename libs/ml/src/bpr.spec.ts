import { bprScores, trainBpr } from './bpr';
import { mulberry32 } from './random';
import { csrFromTriples } from './sparse';

/** Planted block structure: 3 user groups × 3 item groups, users interact only within their group. */
function planted(seed: number) {
  const rng = mulberry32(seed);
  const users = 90;
  const items = 60;
  const r: number[] = [];
  const c: number[] = [];
  const heldOut: [number, number][] = [];
  for (let u = 0; u < users; u++)
    for (let i = 0; i < items; i++) {
      if (u % 3 !== i % 3) continue;
      if (rng() < 0.5) continue;
      if (rng() < 0.2) heldOut.push([u, i]);
      else {
        r.push(u);
        c.push(i);
      }
    }
  return { users, items, R: csrFromTriples(users, items, r, c, r.map(() => 1)), heldOut };
}

describe('BPR-MF', () => {
  const { R, heldOut, items } = planted(7);
  const model = trainBpr(R, { factors: 8, epochs: 40, learningRate: 0.05, reg: 0.001, seed: 3 });

  it('lowers its sampled loss: the last epochs well below the first', () => {
    expect(model.losses).toHaveLength(40);
    expect(model.losses[0]).toBeGreaterThan(0.6); // ≈ ln 2 at near-zero initial factors
    const tail = model.losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(tail).toBeLessThan(0.3 * model.losses[0]);
  });

  it('recovers the planted blocks: held-out in-block pairs outrank out-of-block pairs (AUC > 0.95)', () => {
    let wins = 0;
    let total = 0;
    for (const [u, i] of heldOut) {
      const s = bprScores(model, u);
      for (let j = 0; j < items; j++) {
        if (j % 3 === u % 3) continue; // out-of-block: never observed
        total++;
        if (s[i] > s[j]) wins++;
        else if (s[i] === s[j]) wins += 0.5;
      }
    }
    expect(wins / total).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed and keeps its factors in typed arrays', () => {
    const again = trainBpr(R, { factors: 8, epochs: 40, learningRate: 0.05, reg: 0.001, seed: 3 });
    expect(again.userFactors).toBeInstanceOf(Float32Array);
    expect(Array.from(again.itemFactors)).toEqual(Array.from(model.itemFactors));
    expect(again.losses).toEqual(model.losses);
  });

  it('refuses options out of range', () => {
    expect(() => trainBpr(R, { learningRate: 0 })).toThrow(/out of range/);
  });
});
