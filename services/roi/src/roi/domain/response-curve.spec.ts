import { seededRandom } from '@livepromo/testing';
import { breakEvenOffer, fitLogCurve, marginalReturn, planBudget, predictRevenue } from './response-curve';

describe('fitLogCurve', () => {
  it('recovers a and b from exact points of r = 1000·ln(1 + s/500)', () => {
    const pts = [100, 300, 500, 1000, 2000, 4000].map((s) => ({ spend: s, revenue: 1000 * Math.log1p(s / 500) }));
    const c = fitLogCurve(pts);
    expect(c.a).toBeCloseTo(1000, 1);
    expect(c.b).toBeCloseTo(500, 0);
    expect(c.r2).toBeCloseTo(1, 8);
    expect(c.n).toBe(6);
  });

  it('refuses fewer than 2 points with spend', () => {
    expect(() => fitLogCurve([{ spend: 10, revenue: 5 }])).toThrow(RangeError);
  });
});

describe('planBudget', () => {
  it('equalises marginal returns as by hand: a=1000,b=100 vs a=500,b=100 with 1000 → 700 / 300', () => {
    // 1000/(100+s1) = 500/(100+s2) and s1+s2 = 1000 → s1 = 700, s2 = 300, λ = 1.25
    const plan = planBudget(
      [
        { channel: 'x', curve: { a: 1000, b: 100 }, min: 0, max: 10_000 },
        { channel: 'y', curve: { a: 500, b: 100 }, min: 0, max: 10_000 },
      ],
      1000,
    );
    expect(plan.allocations.map((a) => a.spend)).toEqual([700, 300]);
    expect(plan.lambda).toBeCloseTo(1.25, 6);
    expect(plan.allocations.map((a) => a.bound)).toEqual(['interior', 'interior']);
    expect(plan.predictedRevenue).toBeCloseTo(1000 * Math.log(8) + 500 * Math.log(4), 6);
  });

  it('respects bounds and gives everything when the budget exceeds the maxima', () => {
    const channels = [
      { channel: 'x', curve: { a: 1000, b: 100 }, min: 0, max: 400 },
      { channel: 'y', curve: { a: 500, b: 100 }, min: 50, max: 10_000 },
    ];
    expect(planBudget(channels, 1000).allocations.map((a) => a.spend)).toEqual([400, 600]);
    expect(planBudget(channels, 1000).allocations[0].bound).toBe('max');
    expect(planBudget([channels[0]], 1000).allocations[0].spend).toBe(400);
    expect(() => planBudget(channels, 10)).toThrow(/minimums/);
  });

  it('recovers the better channel from noisy spend/revenue data with known curves', () => {
    const rand = seededRandom(11);
    const truth = { good: { a: 300_000, b: 50_000 }, poor: { a: 80_000, b: 120_000 } };
    const sample = (c: { a: number; b: number }) =>
      Array.from({ length: 30 }, () => {
        const spend = Math.round(5_000 + rand() * 200_000);
        return { spend, revenue: predictRevenue(c, spend) * (0.9 + 0.2 * rand()) };
      });
    const good = fitLogCurve(sample(truth.good));
    const poor = fitLogCurve(sample(truth.poor));
    // fitted curves predict within 10 % of the truth over the observed range
    for (const s of [20_000, 100_000, 200_000]) {
      expect(predictRevenue(good, s) / predictRevenue(truth.good, s)).toBeGreaterThan(0.9);
      expect(predictRevenue(good, s) / predictRevenue(truth.good, s)).toBeLessThan(1.1);
      expect(predictRevenue(poor, s) / predictRevenue(truth.poor, s)).toBeGreaterThan(0.9);
      expect(predictRevenue(poor, s) / predictRevenue(truth.poor, s)).toBeLessThan(1.1);
    }
    const plan = planBudget(
      [
        { channel: 'good', curve: good, min: 0, max: 400_000 },
        { channel: 'poor', curve: poor, min: 0, max: 400_000 },
      ],
      200_000,
    );
    const [g, p] = plan.allocations;
    expect(g.spend + p.spend).toBe(200_000);
    expect(g.spend).toBeGreaterThan(150_000);
    // marginal ROI of the poor channel at 100k spend is 80k/220k ≈ 0.36 < 1
    expect(marginalReturn(poor, 100_000)).toBeLessThan(1);
    expect(marginalReturn(good, 100_000)).toBeGreaterThan(1);
  });
});

describe('breakEvenOffer', () => {
  const channels = [
    { channel: 'a', curve: { a: 1000, b: 100 }, min: 0, max: 10_000 },
    { channel: 'b', curve: { a: 500, b: 100 }, min: 0, max: 10_000 },
  ];
  it('stops where the marginal ROI reaches 1 and says what the rest would buy', () => {
    // break-even spends: a − b = 900 and 400 → 1 300; a budget of 5 000 goes far below marginal ROI 1
    const full = planBudget(channels, 5000);
    expect(full.lambda).toBeLessThan(1);
    const offer = breakEvenOffer(channels, full)!;
    expect(offer.plan.total).toBe(1300);
    expect(offer.plan.allocations.map((x) => x.spend)).toEqual([900, 400]);
    expect(offer.plan.lambda).toBeCloseTo(1, 6);
    expect(offer.remainder.budgetMinor).toBe(3700);
    expect(offer.remainder.expectedRevenueMinor).toBeCloseTo(full.predictedRevenue - offer.plan.predictedRevenue, 9);
    expect(offer.remainder.roi!).toBeLessThan(1);
    expect(offer.remainder.marginalRoiAtFullSpend).toBeCloseTo(full.lambda, 12);
    // break-even maximises net revenue: r(1 300) − 1 300 ≥ r(5 000) − 5 000
    expect(offer.plan.predictedRevenue - 1300).toBeGreaterThan(full.predictedRevenue - 5000);
  });
  it('offers nothing when the whole budget keeps the marginal ROI at or above 1', () => {
    expect(breakEvenOffer(channels, planBudget(channels, 1000))).toBeNull();
  });
});
