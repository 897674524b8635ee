import { computeFeatures, contentVector, featureRow, FEATURE_NAMES, interactionStrength, StreamerRecord } from './streamer-features';

const rec: StreamerRecord = {
  streamerId: 's1',
  name: 'Ann',
  profileCategories: ['programming'],
  followers: 1000,
  priceBand: 'high',
  sessions: 2,
  liveSec: 7200,
  enters: 200,
  watchSec: 36000,
  interactions: 50,
  orders: 10,
  revenueMinor: 100000,
  sessionCategories: { programming: 2, design: 1 },
};

describe('streamer features', () => {
  it('computes the hand-checked features', () => {
    const f = computeFeatures(rec, Float64Array.from([1, 0, 1, 0, 0]), { tenantConversion: 0.02, shrinkage: 20, followerReach: 0.05 });
    // content: programming 1 + 2 sessions, design 1 → [3/4, 0, 1/4, 0, 0]
    expect(Array.from(f.content)).toEqual([0.75, 0, 0.25, 0, 0]);
    expect(Array.from(f.audience)).toEqual([0.5, 0, 0.5, 0, 0]);
    expect(f.avgConcurrentViewers).toBe(5); // 36000 / 7200
    expect(f.interactionRate).toBe(0.25); // 50 / 200
    expect(f.conversionRate).toBe(0.05); // 10 / 200
    expect(f.conversionRateSmoothed).toBeCloseTo((10 + 20 * 0.02) / 220, 12);
    expect(f.revenuePerLiveHour).toBe(50000); // 100000 / 2 h
    expect(f.priceBand).toBe(1);
    expect(f.reach).toBe(100); // 200 entries / 2 sessions
    expect(featureRow(f)).toHaveLength(FEATURE_NAMES.length);
  });

  it('falls back to followers × reach share without sessions', () => {
    const f = computeFeatures({ ...rec, sessions: 0, enters: 0, liveSec: 0 }, new Float64Array(5), { tenantConversion: 0.02, shrinkage: 20, followerReach: 0.05 });
    expect(f.reach).toBe(50);
    expect(f.conversionRateSmoothed).toBeCloseTo(0.02 + 10 / 20, 12); // (10 + 0.4) / 20 — orders without entries
    expect(contentVector({ profileCategories: [], sessionCategories: {} }).every((x) => x === 0)).toBe(true);
  });

  it('weighs implicit feedback', () => {
    expect(interactionStrength({ enters: 1, watchSec: 600, interactions: 5, purchases: 1 })).toBe(1 + 1 + 1 + 3);
  });
});
