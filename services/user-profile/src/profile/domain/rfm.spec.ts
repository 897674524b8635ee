import { DAY_MS } from './decay';
import { frequencyScore, monetaryScore, recencyScore, rfmAt, segmentOf } from './rfm';

describe('RFM scores and segments', () => {
  it('scores recency on the day thresholds 7/30/90/180 (inclusive)', () => {
    expect([0, 7, 7.01, 30, 31, 90, 91, 180, 181].map(recencyScore)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1]);
  });

  it('scores frequency 1→1, 2→2, 3-4→3, 5-9→4, ≥10→5 and 0 for none', () => {
    expect([0, 1, 2, 3, 4, 5, 9, 10, 50].map(frequencyScore)).toEqual([0, 1, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('scores monetary on 20 000 / 80 000 / 200 000 / 500 000 minor units', () => {
    expect([0, 19_999, 20_000, 79_999, 80_000, 200_000, 499_999, 500_000].map(monetaryScore)).toEqual([1, 1, 2, 2, 3, 4, 4, 5]);
  });

  it('maps every (R, F) cell to exactly the documented segment', () => {
    const grid = [1, 2, 3, 4, 5].map((r) => [1, 2, 3, 4, 5].map((f) => segmentOf(r, f)));
    expect(grid).toEqual([
      ['lost', 'lost', 'at_risk', 'at_risk', 'at_risk'],
      ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'at_risk'],
      ['promising', 'promising', 'loyal', 'loyal', 'loyal'],
      ['new', 'promising', 'loyal', 'champions', 'champions'],
      ['new', 'promising', 'loyal', 'champions', 'champions'],
    ]);
    expect(segmentOf(0, 0)).toBe('prospects');
  });

  it('recomputes from asOf, so a buyer drifts from new to lost as days pass', () => {
    const input = { lastPaidMs: 0, paidOrders: 1, netMonetaryMinor: 19_900 };
    expect(rfmAt(input, 5 * DAY_MS)).toEqual({ recencyDays: 5, frequency: 1, monetaryMinor: 19_900, scores: { r: 5, f: 1, m: 1 }, segment: 'new' });
    expect(rfmAt(input, 100 * DAY_MS).segment).toBe('hibernating');
    expect(rfmAt(input, 200 * DAY_MS).segment).toBe('lost');
  });

  it('calls a user with no paid order a prospect', () => {
    expect(rfmAt({ lastPaidMs: null, paidOrders: 0, netMonetaryMinor: 0 }, 0).segment).toBe('prospects');
  });
});
