import { minimumDetectableEffect, powerAt, twoProportionTest } from './ab-test';
import { twoSidedNormalP } from '@livepromo/ml';

describe('twoProportionTest', () => {
  it('computes z, p and the Newcombe interval for 50/500 against 75/500 as by hand', () => {
    // p̄ = 0.125; SE = √(0.125·0.875·(2/500)) = 0.0209165; z = 0.05/0.0209165 = 2.39046; p = erfc(z/√2) = 0.016827
    const r = twoProportionTest({ x: 50, n: 500 }, { x: 75, n: 500 });
    expect(r.difference).toBeCloseTo(0.05, 10);
    expect(r.pooledRate).toBeCloseTo(0.125, 10);
    expect(r.z).toBeCloseTo(2.39046, 4);
    expect(r.pValue).toBeCloseTo(0.016827, 5);
    expect(r.testUsed).toBe('two-proportion z-test (pooled)');
    expect(r.a.wilson.low).toBeCloseTo(0.0766776, 6);
    expect(r.a.wilson.high).toBeCloseTo(0.1294219, 6);
    expect(r.confidenceInterval.low).toBeCloseTo(0.0089514, 6);
    expect(r.confidenceInterval.high).toBeCloseTo(0.0911982, 6);
    expect(r.significant).toBe(true);
    expect(r.testAgreesWithInterval).toBe(true);
    expect(r.relativeLift).toBeCloseTo(0.5, 10);
  });

  it("reproduces Newcombe (1998)'s method-10 intervals: 56/70 − 48/80 → [0.0524, 0.3339]; 5/56 − 0/29 → [−0.0381, 0.1926]", () => {
    const r = twoProportionTest({ x: 48, n: 80 }, { x: 56, n: 70 });
    expect(r.confidenceInterval.low).toBeCloseTo(0.0524, 4);
    expect(r.confidenceInterval.high).toBeCloseTo(0.3339, 4);
    const r2 = twoProportionTest({ x: 0, n: 29 }, { x: 5, n: 56 });
    expect(r2.confidenceInterval.low).toBeCloseTo(-0.0381, 4);
    expect(r2.confidenceInterval.high).toBeCloseTo(0.1926, 4);
    expect(r2.testUsed).toBe("Fisher's exact test (two-sided)");
  });

  it('the MDE has the claimed power: power at the returned MDE is 0.80 ± 0.01 (and exactly so by bisection)', () => {
    for (const [pA, nA, nB] of [
      [0.1, 500, 500],
      [0.02, 2000, 1500],
      [0.5, 100, 300],
      [0, 40, 40],
      [1, 40, 40],
    ] as const) {
      const m = minimumDetectableEffect(pA, nA, nB, 0.05, 0.8)!;
      expect(m.mde).toBeGreaterThan(0);
      const sign = m.direction === 'increase' ? 1 : -1;
      expect(Math.abs(powerAt(pA, sign * m.mde, nA, nB, 0.05) - 0.8)).toBeLessThan(0.01);
      expect(m.power).toBeCloseTo(0.8, 6);
    }
    // the old closed form (z_{α/2} + z_β)·SE_pooled gave 0.0586 for 10 %/500/500, whose real power is lower; the solved MDE is 0.0595
    const old = powerAt(0.1, 0.058599, 500, 500, 0.05);
    expect(old).toBeLessThan(0.79);
    expect(minimumDetectableEffect(0.1, 500, 500, 0.05, 0.8)!.mde).toBeCloseTo(0.0594666, 6);
    expect(minimumDetectableEffect(1, 40, 40, 0.05, 0.8)!.direction).toBe('decrease');
  });

  it('both rates 0 (or both 1): a non-zero-width interval covering 0, a positive MDE, and the exact test', () => {
    for (const [x, n] of [
      [0, 50],
      [50, 50],
    ]) {
      const r = twoProportionTest({ x, n }, { x, n });
      expect(r.confidenceInterval.high - r.confidenceInterval.low).toBeGreaterThan(0.1);
      expect(r.confidenceInterval.low).toBeLessThan(0);
      expect(r.confidenceInterval.high).toBeGreaterThan(0);
      expect(r.minimumDetectableEffect).toBeGreaterThan(0);
      expect(r.significant).toBe(false);
      expect(r.pValue).toBe(1);
      expect(r.z).toBeNull();
      expect(r.testUsed).toBe("Fisher's exact test (two-sided)");
    }
  });

  it("small samples (an expected count < 5) get Fisher's exact test, and the answer says so", () => {
    const r = twoProportionTest({ x: 1, n: 10 }, { x: 7, n: 10 });
    expect(r.minExpectedCellCount).toBe(4);
    expect(r.testUsed).toBe("Fisher's exact test (two-sided)");
    expect(r.pValue).toBeCloseTo(0.019766611097880, 10);
    expect(r.computation).toContain("Fisher's exact");
  });

  it('p does not underflow for a huge effect (z ≈ 10 and beyond)', () => {
    const r = twoProportionTest({ x: 1000, n: 10000 }, { x: 1600, n: 10000 });
    expect(r.z!).toBeGreaterThan(10);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(1e-20);
    expect(r.pValue).toBeCloseTo(twoSidedNormalP(r.z!), 30);
  });

  it('is not significant for equal rates and refuses impossible counts', () => {
    const r = twoProportionTest({ x: 10, n: 100 }, { x: 10, n: 100 });
    expect(r.z).toBe(0);
    expect(r.pValue).toBeCloseTo(1, 6);
    expect(r.significant).toBe(false);
    expect(() => twoProportionTest({ x: 5, n: 4 }, { x: 1, n: 2 })).toThrow(RangeError);
  });
});
