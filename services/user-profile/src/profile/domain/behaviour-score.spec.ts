import { behaviourScore, DEFAULT_SCORE_WEIGHTS, mergeWeights } from './behaviour-score';

describe('behaviour score U = Σ α_k·x_k + β·y + γ·t', () => {
  const zero = { views: 0, searches: 0, comments: 0, likes: 0, shares: 0, clicks: 0, follows: 0 };

  it('is 0 with no activity', () => {
    expect(behaviourScore({ interactions: zero, purchases: 0, watchHours: 0 }, DEFAULT_SCORE_WEIGHTS).value).toBe(0);
  });

  it('adds α·ln(1+x) per interaction, β·ln(1+y) and γ·ln(1+t), returning every term', () => {
    // e − 1 views → x = 1; 1 purchase → y = ln 2; 3 watch hours → t = ln 4
    const w = mergeWeights({ alpha: { views: 2 }, beta: 3, gamma: 0.5 });
    const s = behaviourScore({ interactions: { ...zero, views: Math.E - 1 }, purchases: 1, watchHours: 3 }, w);
    expect(s.value).toBeCloseTo(2 * 1 + 3 * Math.LN2 + 0.5 * Math.log(4), 12); // 2 + 2.0794415 + 0.6931472 = 4.7725887
    expect(s.value).toBeCloseTo(4.7725887, 6);
    const views = s.terms.find((t) => t.name === 'views')!;
    expect(views).toEqual({ name: 'views', coefficient: 'alpha', weight: 2, decayedValue: Math.E - 1, input: expect.closeTo(1, 12), contribution: expect.closeTo(2, 12) });
    expect(s.terms.map((t) => t.name)).toEqual(['views', 'searches', 'comments', 'likes', 'shares', 'clicks', 'follows', 'purchases', 'watchHours']);
  });

  it('fills weights a tenant left out from the defaults', () => {
    const w = mergeWeights({ beta: 7 });
    expect(w.beta).toBe(7);
    expect(w.gamma).toBe(DEFAULT_SCORE_WEIGHTS.gamma);
    expect(w.alpha).toEqual(DEFAULT_SCORE_WEIGHTS.alpha);
  });
});
