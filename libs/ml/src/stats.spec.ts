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
