import { Bucket, closableWindows, computeWindowMetrics, emptyCounters, revisableWindows, signalDelta, viewersAtRisk } from './live-window';

function bucket(start: number, c: Partial<ReturnType<typeof emptyCounters>>): Bucket {
  return { start, counters: { ...emptyCounters(), ...c } };
}

// Hand-built session: 10 viewers arrive in the first 10 s, 2 more and 3 exits in the next 10 s.
const buckets: Bucket[] = [
  bucket(0, { entered: 10, newViewers: 10, comments: 4, likes: 20 }),
  bucket(10_000, {
    entered: 2,
    left: 3,
    watchSec: 90,
    clicks: 5,
    orders: 1,
    revenueMinor: 19900,
    classified: 4,
    intentPrice: 2,
    intentHowToBuy: 1,
    intentOther: 1,
    sentNegative: 1,
    sentPositive: 1,
    sentNeutral: 2,
    sentimentSum: 0.2,
  }),
];

describe('computeWindowMetrics', () => {
  it('computes the 10-second window [10 s, 20 s) by hand', () => {
    const m = computeWindowMetrics(buckets, 10_000, 10);
    expect(m.concurrentViewers).toBe(9); // 12 entries − 3 exits
    expect(m.dropOffRate).toBe(0.25); // 3 / (10 at start + 2 entries)
    expect(m.retentionRate).toBe(0.75);
    expect(m.avgWatchSec).toBe(30); // 90 / 3
    expect(m.commentsPerMin).toBe(0);
    expect(m.productClicks).toBe(5);
    expect(m.orders).toBe(1);
    expect(m.clickToOrderConversion).toBe(0.2);
    expect(m.revenuePerThousandViewers).toBeCloseTo((199 * 1000) / 9, 6);
    expect(m.priceQuestionsPerMin).toBe(12); // 2 in 10 s
    expect(m.howToBuyQuestionsPerMin).toBe(6);
    expect(m.negativeShare).toBe(0.25);
    expect(m.avgSentiment).toBeCloseTo(0.05, 10);
    expect(m.classifiedComments).toBe(4);
  });

  it('computes the 1-minute window [0, 60 s) by hand', () => {
    const m = computeWindowMetrics(buckets, 0, 60);
    expect(m.concurrentViewers).toBe(9);
    expect(m.newViewers).toBe(10);
    expect(m.dropOffRate).toBe(0.25); // 3 / (0 + 12)
    expect(m.commentsPerMin).toBe(4);
    expect(m.likesPerMin).toBe(20);
    expect(m.engagementPerViewer).toBeCloseTo(24 / 9, 10);
    expect(m.priceQuestionsPerMin).toBe(2);
  });

  it('gives an empty window zeros and carries the viewers over', () => {
    const m = computeWindowMetrics(buckets, 60_000, 60);
    expect(m.concurrentViewers).toBe(9);
    expect(m.commentsPerMin).toBe(0);
    expect(m.dropOffRate).toBe(0);
    expect(m.clickToOrderConversion).toBe(0);
    expect(viewersAtRisk(buckets, 60_000, 60)).toBe(9);
    expect(viewersAtRisk(buckets, 10_000, 10)).toBe(12);
  });
});

describe('closableWindows', () => {
  it('closes every aligned window whose end the watermark passed, oldest first', () => {
    expect(closableWindows(0, 65_000, 10)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(closableWindows(60_000, 119_999, 60)).toEqual([]);
    expect(closableWindows(60_000, 120_000, 60)).toEqual([60_000]);
    expect(closableWindows(0, 30_000, 60)).toEqual([]);
  });
  it('keeps only the newest `max` windows after a long gap', () => {
    expect(closableWindows(0, 1_000_000, 10, 3)).toEqual([970_000, 980_000, 990_000]);
  });
});

describe('revisableWindows', () => {
  it('revises the closed windows holding the late buckets and the one after each (its prevChange)', () => {
    // closed up to 5 min; a late comment in [70 s, 80 s)
    expect(revisableWindows(300_000, 70_000, 80_000, 60)).toEqual([60_000, 120_000]);
    expect(revisableWindows(300_000, 70_000, 80_000, 10)).toEqual([70_000, 80_000]);
    expect(revisableWindows(300_000, 70_000, 80_000, 300)).toEqual([0]);
  });
  it('revises every later closed window when viewers changed, and nothing not yet closed', () => {
    expect(revisableWindows(180_000, 70_000, Infinity, 60)).toEqual([60_000, 120_000]);
    expect(revisableWindows(180_000, 180_000, Infinity, 60)).toEqual([]);
    expect(revisableWindows(undefined, 0, Infinity, 60)).toEqual([]);
    expect(revisableWindows(1_000_000, 0, Infinity, 10, 2)).toEqual([980_000, 990_000]);
  });
});

describe('signalDelta', () => {
  it('counts an unknown intent as other and sums sentiment', () => {
    expect(signalDelta({ kind: 'classified', intent: 'shipping', sentiment: 'negative', sentimentScore: -0.8 })).toEqual({
      classified: 1,
      intentOther: 1,
      sentNegative: 1,
      sentimentSum: -0.8,
    });
    expect(signalDelta({ kind: 'entered', newViewer: false })).toEqual({ entered: 1, newViewers: 0 });
    expect(signalDelta({ kind: 'order', amountMinor: 500 })).toEqual({ orders: 1, revenueMinor: 500 });
  });
});
