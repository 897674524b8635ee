import { compareWindow, flattenComparison } from './window-comparison';
import { windowOf } from './fixtures.spec-helper';

describe('compareWindow', () => {
  const past = [10, 20, 30, 40, 50].map((c) => windowOf({ commentsPerMin: c }));

  it('ranks each metric in the streamer baseline and names the worst one', () => {
    const c = compareWindow(windowOf({ commentsPerMin: 5 }), null, past, []);
    expect(c.streamerPercentile.commentsPerMin).toBe(0);
    expect(c.streamerPercentile.likesPerMin).toBe(50); // all equal
    expect(c.streamerSamples).toBe(5);
    expect(c.worstMetric).toBe('commentsPerMin');
    expect(c.worstBasis).toBe('streamer_percentile');
    expect(c.worstScore).toBe(0);
  });

  it('orients lower-is-better metrics: a drop-off above every past window is the worst', () => {
    const c = compareWindow(windowOf({ dropOffRate: 9, commentsPerMin: 30 }), null, past, []);
    expect(c.streamerPercentile.dropOffRate).toBe(100);
    expect(c.worstMetric).toBe('dropOffRate');
    expect(c.worstScore).toBe(0);
  });

  it('ignores a baseline under 5 windows and falls back to category peers, then to the previous window', () => {
    const few = past.slice(0, 4);
    const cat = compareWindow(windowOf({ likesPerMin: 0 }), null, few, past);
    expect(cat.streamerPercentile).toEqual({});
    expect(cat.worstBasis).toBe('category_percentile');
    const prevOnly = compareWindow(windowOf({ orders: 1, commentsPerMin: 2 }), windowOf({ orders: 4, commentsPerMin: 1 }), [], []);
    expect(prevOnly.prevChange.orders).toBe(-0.75);
    expect(prevOnly.prevChange.commentsPerMin).toBe(1);
    expect(prevOnly.worstMetric).toBe('orders');
    expect(prevOnly.worstBasis).toBe('previous_window');
  });

  it('does not call a ratio with nothing to measure the worst (sentiment before classifications land, conversion without clicks)', () => {
    // the previous minute had positive sentiment; this one has no classified comment yet, and orders fell a little
    const cur = windowOf({ classifiedComments: 0, avgSentiment: 0, negativeShare: 0, orders: 3 });
    const prev = windowOf({ classifiedComments: 10, avgSentiment: 0.8, negativeShare: 0, orders: 4 });
    const c = compareWindow(cur, prev, [], []);
    expect(c.prevChange.avgSentiment).toBe(-1); // still reported
    expect(c.worstMetric).toBe('orders'); // but not named worst
    const noClicks = compareWindow(windowOf({ productClicks: 0, clickToOrderConversion: 0 }), windowOf({ clickToOrderConversion: 0.5 }), [], []);
    expect(noClicks.worstMetric).not.toBe('clickToOrderConversion');
  });

  it('names nothing when nothing fell and no baseline exists', () => {
    const c = compareWindow(windowOf(), windowOf(), [], []);
    expect(c.worstMetric).toBeUndefined();
  });

  it('flattens into metric, metric.prevChange and metric.streamerPercentile keys', () => {
    const flat = flattenComparison(compareWindow(windowOf({ commentsPerMin: 5 }), windowOf({ commentsPerMin: 10 }), past, []));
    expect(flat.commentsPerMin).toBe(5);
    expect(flat['commentsPerMin.prevChange']).toBe(-0.5);
    expect(flat['commentsPerMin.streamerPercentile']).toBe(0);
    expect(flat['baseline.streamerSamples']).toBe(5);
    expect(flat['commentsPerMin.categoryPercentile']).toBeUndefined();
  });
});
