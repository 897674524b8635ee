import { seededRandom } from '@livepromo/testing';
import { choleskyInverse, fitLogistic } from './logistic-regression';

describe('choleskyInverse', () => {
  it('inverts a 2×2 SPD matrix as by hand and refuses a singular one', () => {
    // [[4,2],[2,3]]⁻¹ = 1/8 · [[3,−2],[−2,4]]
    const inv = choleskyInverse(Float64Array.from([4, 2, 2, 3]), 2)!;
    expect(Array.from(inv)).toEqual([0.375, -0.25, -0.25, 0.5].map((v) => expect.closeTo(v, 12)));
    expect(choleskyInverse(Float64Array.from([1, 1, 1, 1]), 2)).toBeNull();
  });
});

describe('fitLogistic', () => {
  it('recovers the log odds ratio of a 2×2 table and its Woolf standard error (λ = 0)', () => {
    // x = 0: 2 of 8 buy (logit −ln 3); x = 1: 6 of 8 buy (logit ln 3) → β1 = 2 ln 3, SE = √(1/2+1/6+1/6+1/2)
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 8; i++) {
      rows.push([0]);
      y.push(i < 2 ? 1 : 0);
    }
    for (let i = 0; i < 8; i++) {
      rows.push([1]);
      y.push(i < 6 ? 1 : 0);
    }
    const fit = fitLogistic(['x'], rows, y, { lambda: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-Math.log(3), 8);
    expect(fit.coefficients[0].coefficient).toBeCloseTo(2 * Math.log(3), 8);
    expect(fit.coefficients[0].oddsRatio).toBeCloseTo(9, 6);
    expect(fit.coefficients[0].standardError).toBeCloseTo(Math.sqrt(4 / 3), 6);
    expect(fit.coefficients[0].ci.low).toBeCloseTo(2 * Math.log(3) - 1.959964 * Math.sqrt(4 / 3), 4);
    expect(fit.n).toBe(16);
    expect(fit.positives).toBe(8);
  });

  it('shrinks coefficients towards zero as λ grows', () => {
    const rows = [[0], [0], [1], [1], [0], [1]];
    const y = [0, 0, 1, 1, 1, 0];
    const small = fitLogistic(['x'], rows, y, { lambda: 0.01 }).coefficients[0].coefficient;
    const big = fitLogistic(['x'], rows, y, { lambda: 100 }).coefficients[0].coefficient;
    expect(Math.abs(big)).toBeLessThan(Math.abs(small));
  });

  it('recovers planted effects (sign and size within bounds) on seeded synthetic data', () => {
    const rand = seededRandom(7);
    const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    const truth = { b0: -1, watch: 0.8, coupon: 0.6, lateSlot: -0.5 };
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 6000; i++) {
      const watch = gauss();
      const coupon = rand() < 0.3 ? 1 : 0;
      const late = rand() < 0.5 ? 1 : 0;
      const t = truth.b0 + truth.watch * watch + truth.coupon * coupon + truth.lateSlot * late;
      rows.push([watch, coupon, late]);
      y.push(rand() < 1 / (1 + Math.exp(-t)) ? 1 : 0);
    }
    const fit = fitLogistic(['watch', 'coupon', 'lateSlot'], rows, y, { lambda: 1 });
    const [w, c, l] = fit.coefficients;
    expect(w.coefficient).toBeGreaterThan(0.65);
    expect(w.coefficient).toBeLessThan(0.95);
    expect(c.coefficient).toBeGreaterThan(0.4);
    expect(c.coefficient).toBeLessThan(0.8);
    expect(l.coefficient).toBeLessThan(-0.3);
    expect(l.coefficient).toBeGreaterThan(-0.7);
    for (const [coef, t] of [
      [w, truth.watch],
      [c, truth.coupon],
      [l, truth.lateSlot],
    ] as const) {
      expect(coef.ci.low).toBeLessThan(t);
      expect(coef.ci.high).toBeGreaterThan(t);
      expect(coef.oddsRatio).toBeCloseTo(Math.exp(coef.coefficient), 10);
    }
    expect(fit.intercept).toBeGreaterThan(-1.2);
    expect(fit.intercept).toBeLessThan(-0.8);
  });
});
