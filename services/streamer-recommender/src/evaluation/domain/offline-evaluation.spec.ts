import { BASELINE_WEIGHTS, ComponentModels, evaluateWeights, fitHybridWeights, splitByUserTime, truncateEvents } from './offline-evaluation';

describe('offline evaluation', () => {
  it("holds out each user's last ⌈10%⌉ interactions by time", () => {
    const split = splitByUserTime([
      // user 0: 11 events → last 2 held out (items 7 and 8 at the latest times)
      { items: [0, 1, 0, 1, 0, 1, 0, 1, 0, 8, 7], times: [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10], weights: Array(11).fill(1) },
      // user 1: a single event → nothing held out
      { items: [3], times: [1], weights: [1] },
    ]);
    expect([...split.test[0]].sort()).toEqual([7, 8]);
    expect(split.test[1].size).toBe(0);
    expect(split.train[0].find((h) => h.item === 0)).toEqual({ item: 0, weight: 5, lastAt: 9 });
    expect(split.trainInteractions).toBe(10);
    expect(split.testInteractions).toBe(2);
    expect(truncateEvents([{ items: [1, 2], times: [2, 1], weights: [1, 1] }])[0].items).toEqual([2]);
  });

  it('scores repeat-by-frequency perfectly when users come back to their favourite', () => {
    // every user watches a "home" item many times and comes back to it at the end
    const events = Array.from({ length: 12 }, (_, u) => {
      const home = u % 4;
      const items = [home, home, home, 4 + (u % 3), home, home, home, home, home, home];
      return { items, times: items.map((_, i) => i), weights: items.map(() => 1) };
    });
    const split = splitByUserTime(events);
    const models = new ComponentModels(split.train, 7, { factors: 2, iterations: 3 });
    const repeat = evaluateWeights(models, split.test, BASELINE_WEIGHTS['repeat-by-frequency'], 1);
    expect(repeat).toMatchObject({ users: 12, hitRate: 1, recall: 1, ndcg: 1, mrr: 1, itemMrr: 1 });
    expect(repeat.coverage).toBeCloseTo(4 / 7, 12);
    const pop = evaluateWeights(models, split.test, BASELINE_WEIGHTS.popularity, 1);
    expect(pop.hitRate).toBeLessThan(1);
    const fit = fitHybridWeights(models, split.test, 1);
    expect(fit.ndcg).toBe(1);
  });

  it('scores content as the cosine of the user label profile with each item label distribution', () => {
    // items 0,1 carry label 0; item 2 label 1; the user watched item 0 only
    const models = new ComponentModels([[{ item: 0, weight: 2, lastAt: 1 }], [{ item: 2, weight: 1, lastAt: 1 }]], 3, {
      factors: 2,
      iterations: 1,
      itemContent: { labels: 2, counts: Float64Array.from([3, 0, 1, 0, 0, 5]) },
    });
    const c = models.components(0).content as Float64Array;
    expect(Array.from(c)).toEqual([1, 1, 0]);
  });
});
