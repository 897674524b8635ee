import { csrFromTriples, mulberry32, randomInt, topK } from '@livepromo/ml';
import {
  BASELINES,
  ComponentModels,
  componentsOf,
  evaluateModels,
  fitHybridWeights,
  gridStepFor,
  repeatRate,
  sparseContentScores,
  l2NormaliseRows,
  splitEvents,
  topKMasked,
  UserEvents,
} from './offline-evaluation';
import { runEvaluation } from './run-evaluation';

const ones = (n: number) => Array<number>(n).fill(1);

/** 40 users with 2..21 events over 30 items, some repeats, times 0..n−1. */
function randomEvents(seed: number): UserEvents[] {
  const rng = mulberry32(seed);
  return Array.from({ length: 40 }, () => {
    const n = 2 + randomInt(rng, 20);
    const items = Array.from({ length: n }, () => randomInt(rng, 30));
    return { items, times: items.map((_, i) => i), weights: ones(n) };
  });
}

const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

describe('split protocols', () => {
  it("time: each user's last ⌈10%⌉ by time is held out; a single event stays in training", () => {
    const s = splitEvents(
      [
        { items: [0, 1, 0, 1, 0, 1, 0, 1, 0, 8, 7], times: [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10], weights: ones(11) },
        { items: [3], times: [1], weights: [1] },
      ],
      'time',
      0.1,
      1,
      false,
    );
    expect(sorted(s.test[0])).toEqual([7, 8]);
    expect(s.test[1].size).toBe(0);
    expect(s.train[0].find((h) => h.item === 0)).toEqual({ item: 0, weight: 5, lastAt: 9 });
    expect([s.trainInteractions, s.testInteractions]).toEqual([10, 2]);
  });

  it('leave-one-out holds out exactly the last interaction by time of every user with ≥ 2', () => {
    const events = randomEvents(3).map((e) => ({ ...e, times: e.times.map((t) => -t) })); // reverse time: the first row is the last
    const s = splitEvents(events, 'leave-one-out', 0.5, 1, false);
    events.forEach((e, u) => {
      expect(s.trainEvents[u].items).toHaveLength(e.items.length - 1);
      expect(sorted(s.test[u])).toEqual([e.items[0]]);
    });
    expect(s.testInteractions).toBe(events.length);
  });

  it('random is per user: every user keeps round(75%) of their own interactions, seeded', () => {
    const events = randomEvents(5);
    const s = splitEvents(events, 'random', 0.25, 9, false);
    events.forEach((e, u) => {
      const n = e.items.length;
      expect(s.trainEvents[u].items).toHaveLength(Math.max(1, Math.min(n - 1, Math.round(0.75 * n))));
      // the union of both parts is the user's own multiset of items
      const held = s.testInteractions; // total only; per-user multiset below
      expect(held).toBeGreaterThan(0);
      const heldItems = [...s.testNew[u], ...s.testRepeat[u]];
      for (const i of heldItems) expect(e.items).toContain(i);
    });
    expect(splitEvents(events, 'random', 0.25, 9, false).trainEvents).toEqual(s.trainEvents);
    expect(splitEvents(events, 'random', 0.25, 10, false).trainEvents).not.toEqual(s.trainEvents);
  });

  it('with exclude-seen no relevant test item is in the user’s training part; new/repeat partition the held-out items', () => {
    const events = randomEvents(7);
    const s = splitEvents(events, 'random', 0.25, 1, true);
    s.test.forEach((rel, u) => {
      const seen = new Set(s.train[u].map((h) => h.item));
      for (const i of rel) expect(seen.has(i)).toBe(false);
      for (const i of s.testRepeat[u]) expect(seen.has(i)).toBe(true);
    });
    expect(s.heldOutNew + s.heldOutRepeat).toBe(s.testInteractions);
    expect(s.heldOutRepeat).toBeGreaterThan(0);
  });

  it('refuses a held-out share outside (0, 1)', () => {
    expect(() => splitEvents(randomEvents(1), 'random', 25, 1, true)).toThrow(RangeError);
  });

  it('measures the repeat rate as 1 − distinct pairs / interactions', () => {
    expect(repeatRate([{ items: [1, 1, 2, 3], times: [0, 1, 2, 3], weights: ones(4) }])).toBe(0.25);
  });
});

describe('components and models', () => {
  it('scores repeat-by-frequency perfectly when users come back to their favourite', () => {
    const events = Array.from({ length: 12 }, (_, u) => {
      const home = u % 4;
      const items = [home, home, home, 4 + (u % 3), home, home, home, home, home, home];
      return { items, times: items.map((_, i) => i), weights: ones(10) };
    });
    const split = splitEvents(events, 'time', 0.1, 1, false);
    const models = new ComponentModels(split.train, 7, { factors: 2, iterations: 3, bpr: { factors: 2, epochs: 2 } });
    const r = evaluateModels(models, split, { rep: BASELINES['repeat-by-frequency'], pop: BASELINES.popularity }, { k: 1, excludeSeen: false });
    expect(r.rep).toMatchObject({ users: 12, hitRate: 1, recall: 1, ndcg: 1, mrr: 1, precision: 1, map: 1 });
    expect(r.rep.repeatItems.ndcg).toBe(1);
    expect(r.rep.coverage).toBeCloseTo(4 / 7, 12);
    expect(r.pop.hitRate).toBeLessThan(1);
  });

  it('trains only the components the chosen models need', () => {
    expect(componentsOf(['popularity', 'als'])).toEqual(['als', 'popularity']);
    expect(componentsOf(['repeat-by-frequency', 'hybrid'])).toEqual(['repeat', 'recency', 'popularity']);
    const m = new ComponentModels([[{ item: 0, weight: 1, lastAt: 0 }]], 3, { components: ['popularity', 'als'], factors: 2, iterations: 1 });
    expect(m.bpr).toBeNull();
    expect(m.knn).toBeNull();
    expect(m.als).not.toBeNull();
  });

  it('scores content sparsely as the cosine of the user label profile with each item’s labels', () => {
    // items 0,1 carry label 0 (3 and 1 times); item 2 label 1; the user watched item 0
    const content = l2NormaliseRows(csrFromTriples(3, 2, [0, 1, 2], [0, 0, 1], [3, 1, 5]));
    expect(Array.from(sparseContentScores(content, [{ item: 0, weight: 2, lastAt: 1 }]))).toEqual([1, 1, 0]);
  });

  it('the fitted hybrid is never worse on validation than its best single component; exclude-seen drops repeat/recency', () => {
    const events = randomEvents(11);
    const split = splitEvents(events, 'random', 0.25, 1, true);
    const models = new ComponentModels(split.train, 30, { factors: 4, iterations: 3, bpr: { factors: 4, epochs: 5 } });
    const fit = fitHybridWeights(models, split, { k: 5, excludeSeen: true });
    expect(fit.components).not.toContain('repeat');
    expect(fit.components).not.toContain('recency');
    for (const v of Object.values(fit.baselineNdcg)) expect(fit.ndcg).toBeGreaterThanOrEqual(v);
    expect(Object.keys(fit.baselineNdcg).sort()).toEqual(['als', 'bpr', 'item-knn', 'popularity']);
  });

  it('keeps the weight grid small for many components', () => {
    expect(gridStepFor(5)).toBe(0.1);
    expect(gridStepFor(7)).toBe(0.2);
  });

  it('runs a whole evaluation: exclude-seen decided from the repeat rate and said', () => {
    const events = Array.from({ length: 30 }, (_, u) => {
      const items = [u % 10, (u + 1) % 10, (u + 2) % 10, (u + 3) % 10];
      return { items, times: [0, 1, 2, 3], weights: ones(4) };
    });
    const r = runEvaluation(events, 10, {
      split: 'random',
      holdout: 0.25,
      k: 3,
      models: ['popularity', 'als', 'hybrid'],
      seed: 1,
      evalUsers: 0,
      fitUsers: 100,
      component: { factors: 2, iterations: 2 },
    });
    expect(r.repeatRate).toBe(0);
    expect(r.protocol.excludeSeen).toBe(true);
    expect(r.protocol.excludeSeenReason).toMatch(/repeat rate 0\.0000 .* below 0\.05/);
    expect(r.dataset.heldOutRepeat).toBe(0);
    expect(Object.keys(r.results)).toEqual(['popularity', 'als', 'hybrid']);
  });
});

describe('topKMasked', () => {
  it('returns what libs/ml topK returns (ties by lower index), skipping masked items', () => {
    const rng = mulberry32(4);
    for (let t = 0; t < 20; t++) {
      const xs = Float64Array.from({ length: 300 }, () => randomInt(rng, 20)); // many ties
      const mask = Uint8Array.from({ length: 300 }, () => (rng() < 0.3 ? 1 : 0));
      expect(topKMasked(xs, 10)).toEqual(topK(xs, 10));
      expect(topKMasked(xs, 10, mask)).toEqual(topK(xs, 10, (i) => mask[i] === 1));
    }
  });
});
