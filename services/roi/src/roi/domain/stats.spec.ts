import { twoProportionTest } from './ab-test';
import { normalCdf, normalQuantile } from './stats';

describe('normal distribution helpers', () => {
  it('matches table values of Φ and Φ⁻¹', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});

describe('twoProportionTest', () => {
  it('computes z, p, CI and MDE for 50/500 against 75/500 as by hand', () => {
    // p̄ = 125/1000 = 0.125; SE = √(0.125·0.875·(2/500)) = √0.0004375 = 0.0209165
    // z = 0.05 / 0.0209165 = 2.39046; p = 2(1 − Φ(2.39046)) = 0.016827
    const r = twoProportionTest({ x: 50, n: 500 }, { x: 75, n: 500 });
    expect(r.difference).toBeCloseTo(0.05, 10);
    expect(r.pooledRate).toBeCloseTo(0.125, 10);
    expect(r.z).toBeCloseTo(2.39046, 4);
    expect(r.pValue).toBeCloseTo(0.016827, 4);
    expect(r.significant).toBe(true);
    // unpooled SE = √(0.1·0.9/500 + 0.15·0.85/500) = √0.000435 = 0.0208567; ±1.959964·SE = ±0.040878
    expect(r.confidenceInterval.low).toBeCloseTo(0.05 - 0.040878, 4);
    expect(r.confidenceInterval.high).toBeCloseTo(0.05 + 0.040878, 4);
    // MDE = (1.959964 + 0.841621)·0.0209165 = 0.058599
    expect(r.minimumDetectableEffect).toBeCloseTo(0.058599, 4);
    expect(r.relativeLift).toBeCloseTo(0.5, 10);
  });

  it('is not significant for equal rates and refuses impossible counts', () => {
    const r = twoProportionTest({ x: 10, n: 100 }, { x: 10, n: 100 });
    expect(r.z).toBe(0);
    expect(r.pValue).toBeCloseTo(1, 6);
    expect(r.significant).toBe(false);
    expect(() => twoProportionTest({ x: 5, n: 4 }, { x: 1, n: 2 })).toThrow(RangeError);
  });
});
