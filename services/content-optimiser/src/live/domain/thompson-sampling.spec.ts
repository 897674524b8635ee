import { mulberry32 } from '@livepromo/ml';
import { ArmPosterior, thompsonChoose, updatePosterior } from './thompson-sampling';
import { measureOutcome } from './outcome';
import { draftSuggestion } from './suggestion';
import { CANDIDATES } from './strategies';
import { windowOf } from './fixtures.spec-helper';

describe('Thompson sampling', () => {
  it('updates Beta posteriors fractionally: Beta(1,1) + 0.75 → Beta(1.75, 1.25), rewards clipped to [0, 1]', () => {
    expect(updatePosterior({ arm: 'a', alpha: 1, beta: 1 }, 0.75)).toEqual({ arm: 'a', alpha: 1.75, beta: 1.25 });
    expect(updatePosterior({ arm: 'a', alpha: 1, beta: 1 }, 2)).toEqual({ arm: 'a', alpha: 2, beta: 1 });
  });

  it('is deterministic for a seed and picks an overwhelmingly better arm with P(best) ≈ 1', () => {
    const arms = [
      { arm: 'bad', alpha: 1, beta: 50 },
      { arm: 'good', alpha: 50, beta: 1 },
    ];
    const a = thompsonChoose(arms, mulberry32(5));
    expect(thompsonChoose(arms, mulberry32(5))).toEqual(a);
    expect(a.arm).toBe('good');
    expect(a.probBest).toBe(1);
    expect(a.posteriorMean).toBeCloseTo(50 / 51, 10);
    expect(a.observations).toBe(49);
  });

  it('gives equal arms about equal shares of picks', () => {
    const rng = mulberry32(11);
    const arms = [0, 1, 2].map((i) => ({ arm: String(i), alpha: 3, beta: 3 }));
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[Number(thompsonChoose(arms, rng, 0).arm)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100);
  });

  it('converges to the truly best of three Bernoulli arms (p = 0.2, 0.5, 0.8) within 300 seeded rounds', () => {
    const truth: Record<string, number> = { a: 0.2, b: 0.5, c: 0.8 };
    let arms: ArmPosterior[] = Object.keys(truth).map((arm) => ({ arm, alpha: 1, beta: 1 }));
    const rng = mulberry32(2026);
    const world = mulberry32(99);
    let lastHundredBest = 0;
    let regret = 0;
    for (let t = 0; t < 300; t++) {
      const { arm } = thompsonChoose(arms, rng, 0);
      const reward = world() < truth[arm] ? 1 : 0;
      regret += 0.8 - truth[arm];
      arms = arms.map((a) => (a.arm === arm ? updatePosterior(a, reward) : a));
      if (t >= 200 && arm === 'c') lastHundredBest++;
    }
    expect(lastHundredBest).toBeGreaterThanOrEqual(85);
    expect(regret).toBeLessThan(30); // uniform choice would cost 0.3 × 300 = 90
    const best = [...arms].sort((x, y) => y.alpha / (y.alpha + y.beta) - x.alpha / (x.alpha + x.beta))[0];
    expect(best.arm).toBe('c');
  });
});

describe('measureOutcome', () => {
  it('averages the engagement and conversion changes and maps the score to a reward', () => {
    const o = measureOutcome(
      windowOf({ engagementPerViewer: 2, productClicks: 10, clickToOrderConversion: 0.1 }),
      windowOf({ engagementPerViewer: 3, productClicks: 20, clickToOrderConversion: 0.2 }),
    );
    expect(o).toEqual({ engagementChange: 0.5, conversionChange: 1, score: 0.75, reward: 0.875 });
  });
  it('uses engagement alone without clicks and clips changes to ±1', () => {
    const o = measureOutcome(windowOf({ engagementPerViewer: 1, productClicks: 0 }), windowOf({ engagementPerViewer: 5, productClicks: 3 }));
    expect(o).toEqual({ engagementChange: 1, conversionChange: null, score: 1, reward: 1 });
    expect(measureOutcome(windowOf({ engagementPerViewer: 1, productClicks: 0 }), windowOf({ engagementPerViewer: 0.2, productClicks: 0 })).reward).toBeCloseTo(0.1, 10);
  });
});

describe('draftSuggestion', () => {
  const detection = { trigger: 'price_question_surge' as const, reason: '12 price questions per minute', evidence: { priceQuestionsPerMin: 12 } };

  it('picks a candidate of the trigger, the same one for the same decision key, with evidence and confidence', () => {
    const a = draftSuggestion(detection, [], 7, 't|s|price_question_surge|60000');
    expect(draftSuggestion(detection, [], 7, 't|s|price_question_surge|60000')).toEqual(a);
    expect(CANDIDATES.price_question_surge).toContain(a.strategy);
    expect(a.evidence).toMatchObject({ priceQuestionsPerMin: 12, posteriorAlpha: 1, posteriorBeta: 1, measuredUses: 0 });
    expect(a.expectedUplift).toBe(0);
    expect(a.confidence).toBeGreaterThan(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
  });

  it('follows a learned posterior: coupon at Beta(30, 2) wins against the priors', () => {
    const d = draftSuggestion(detection, [{ arm: 'coupon', alpha: 30, beta: 2 }], 7, 'k');
    expect(d.strategy).toBe('coupon');
    expect(d.expectedUplift).toBeCloseTo(2 * (30 / 32) - 1, 4);
    expect(d.confidence).toBeGreaterThan(0.8);
  });
});
