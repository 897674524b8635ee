import { minimumDetectableEffect, powerAt, twoProportionTest } from './ab-test';
import { erfc, fisherExactTwoSided, normalCdf, normalQuantile, twoSidedNormalP, wilsonInterval } from './stats';

describe('normal distribution helpers', () => {
  it('matches table values of Φ and Φ⁻¹', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 10);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 10);
  });

  it('erfc keeps its relative accuracy in the tail: p at z = 10 is 1.52e-23, not 0', () => {
    const rel = (a: number, b: number) => Math.abs(a - b) / b;
    expect(rel(erfc(0.5), 0.4795001221869535)).toBeLessThan(1e-13);
    expect(rel(erfc(1), 0.157299207050285)).toBeLessThan(1e-13);
    expect(rel(erfc(3), 2.209049699858544e-5)).toBeLessThan(1e-12);
    expect(rel(erfc(5), 1.537459794428035e-12)).toBeLessThan(1e-12);
    expect(rel(twoSidedNormalP(10), 1.523970604832105e-23)).toBeLessThan(1e-12);
    expect(rel(twoSidedNormalP(-10), 1.523970604832105e-23)).toBeLessThan(1e-12);
    expect(rel(normalCdf(-20), 2.7536241186062337e-89)).toBeLessThan(1e-11);
    expect(erfc(-1)).toBeCloseTo(2 - 0.157299207050285, 14);
  });

  it("Fisher's exact test matches R's fisher.test", () => {
    // fisher.test(matrix(c(1, 9, 7, 3), 2)) → p = 0.01977 (tables no more probable than the observed)
    expect(fisherExactTwoSided(1, 10, 7, 10)).toBeCloseTo(0.019766611097880, 10);
    // fisher.test(matrix(c(3, 1, 1, 3), 2)) → p = 0.4857
    expect(fisherExactTwoSided(3, 4, 1, 4)).toBeCloseTo(0.4857142857142857, 10);
    expect(fisherExactTwoSided(0, 10, 0, 10)).toBe(1);
    // huge groups (9e15 trials): no ln Γ cancellation, bounded work
    const t = Date.now();
    expect(fisherExactTwoSided(1, 9e15, 2, 9e15)).toBeCloseTo(1, 9);
    expect(fisherExactTwoSided(5_000_000, 10_000_000, 5_000_003, 9e15 - 1e7)).toBe(0); // below the smallest double
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('Wilson intervals are never zero-width, also at 0/n and n/n', () => {
    const z = normalQuantile(0.975);
    const w0 = wilsonInterval(0, 20, z);
    expect(w0.low).toBe(0);
    expect(w0.high).toBeCloseTo(z ** 2 / (20 + z ** 2), 12); // 0.1611
    const w1 = wilsonInterval(20, 20, z);
    expect(w1.high).toBe(1);
    expect(w1.low).toBeCloseTo(20 / (20 + z ** 2), 12);
  });
});

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
