import { compareWindow } from './window-comparison';
import { detect } from './detectors';
import { windowOf } from './fixtures.spec-helper';
import { WindowMetrics } from './live-window';

const quiet: Partial<WindowMetrics> = {
  concurrentViewers: 50,
  engagementPerViewer: 1,
  priceQuestionsPerMin: 0,
  howToBuyQuestionsPerMin: 0,
  classifiedComments: 0,
  negativeShare: 0,
  productClicks: 0,
  clickToOrderConversion: 0,
  dropOffRate: 0.05,
};
const w = (o: Partial<WindowMetrics>) => windowOf({ ...quiet, ...o });
const triggers = (cur: WindowMetrics, prev: WindowMetrics | null, past: WindowMetrics[] = [], atRisk = 50) =>
  detect(compareWindow(cur, prev, past, []), prev, atRisk).map((d) => d.trigger);

describe('detectors', () => {
  it('fires nothing on a quiet minute', () => {
    expect(triggers(w({}), w({}))).toEqual([]);
  });

  it('engagement_drop: at or below the 20th baseline percentile', () => {
    const past = [2, 3, 4, 5, 6].map((e) => w({ engagementPerViewer: e }));
    expect(triggers(w({ engagementPerViewer: 1 }), null, past)).toEqual(['engagement_drop']);
    expect(triggers(w({ engagementPerViewer: 4 }), null, past)).toEqual([]); // 50th percentile
  });

  it('engagement_drop without baseline: a fall of 40% or more against the previous minute, with ≥ 5 viewers', () => {
    expect(triggers(w({ engagementPerViewer: 0.6 }), w({ engagementPerViewer: 1 }))).toEqual(['engagement_drop']);
    expect(triggers(w({ engagementPerViewer: 0.61 }), w({ engagementPerViewer: 1 }))).toEqual([]);
    expect(triggers(w({ engagementPerViewer: 0.1, concurrentViewers: 4 }), w({ engagementPerViewer: 1 }))).toEqual([]);
  });

  it('price_question_surge: ≥ 5/min and ≥ 2× the previous minute or ≥ 30% of classified comments', () => {
    const d = detect(compareWindow(w({ priceQuestionsPerMin: 6, classifiedComments: 40 }), w({ priceQuestionsPerMin: 3 }), [], []), w({ priceQuestionsPerMin: 3 }), 50);
    expect(d.map((x) => x.trigger)).toEqual(['price_question_surge']);
    expect(d[0].evidence).toMatchObject({ priceQuestionsPerMin: 6, previous: 3, shareOfClassified: 0.15, classifiedComments: 40 });
    expect(triggers(w({ priceQuestionsPerMin: 6, classifiedComments: 40 }), w({ priceQuestionsPerMin: 4 }))).toEqual([]); // 1.5×, 15%
    expect(triggers(w({ priceQuestionsPerMin: 6, classifiedComments: 20 }), w({ priceQuestionsPerMin: 4 }))).toEqual(['price_question_surge']); // 30%
    expect(triggers(w({ priceQuestionsPerMin: 4, classifiedComments: 4 }), null)).toEqual([]);
  });

  it('how_to_buy_surge follows the same rule on how-to-buy questions', () => {
    expect(triggers(w({ howToBuyQuestionsPerMin: 5, classifiedComments: 10 }), null)).toEqual(['how_to_buy_surge']);
  });

  it('negative_sentiment_spike: ≥ 5 classified, ≥ 35% negative and ≥ 1.5× the previous share', () => {
    expect(triggers(w({ classifiedComments: 10, negativeShare: 0.4 }), w({ classifiedComments: 10, negativeShare: 0.2 }))).toEqual(['negative_sentiment_spike']);
    expect(triggers(w({ classifiedComments: 10, negativeShare: 0.4 }), w({ classifiedComments: 10, negativeShare: 0.3 }))).toEqual([]);
    expect(triggers(w({ classifiedComments: 4, negativeShare: 0.9 }), null)).toEqual([]);
    expect(triggers(w({ classifiedComments: 5, negativeShare: 0.35 }), null)).toEqual(['negative_sentiment_spike']);
  });

  it('clicks_without_orders: ≥ 10 clicks with conversion under 2%', () => {
    expect(triggers(w({ productClicks: 10, orders: 0, clickToOrderConversion: 0 }), null)).toEqual(['clicks_without_orders']);
    expect(triggers(w({ productClicks: 50, orders: 1, clickToOrderConversion: 0.02 }), null)).toEqual([]);
    expect(triggers(w({ productClicks: 9, clickToOrderConversion: 0 }), null)).toEqual([]);
  });

  it('viewer_exodus: ≥ 20 at risk, ≥ 20% leaving, and ≥ 1.5× the previous minute (no baseline) or ≥ 80th percentile', () => {
    expect(triggers(w({ dropOffRate: 0.3 }), w({ dropOffRate: 0.1 }))).toEqual(['viewer_exodus']);
    expect(triggers(w({ dropOffRate: 0.3 }), w({ dropOffRate: 0.25 }))).toEqual([]);
    expect(triggers(w({ dropOffRate: 0.3 }), w({ dropOffRate: 0.1 }), [], 19)).toEqual([]);
    const past = [0.3, 0.35, 0.4, 0.45, 0.5].map((d) => w({ dropOffRate: d }));
    expect(triggers(w({ dropOffRate: 0.3 }), w({ dropOffRate: 0.1 }), past)).toEqual([]); // usual for this streamer
    expect(triggers(w({ dropOffRate: 0.6 }), null, past)).toEqual(['viewer_exodus']);
  });
});
