import { sentimentFrom } from './comment-sentiment';

describe('sentimentFrom', () => {
  it('takes the most probable of three classes and scores P(pos) − P(neg)', () => {
    const r = sentimentFrom([0.1, 0.3, 0.6], ['negative', 'neutral', 'positive']);
    expect(r.sentiment).toBe('positive');
    expect(r.score).toBeCloseTo(0.5, 12);
  });

  it('maps binary labels and calls |score| < 0.2 neutral', () => {
    const map = { '1': 'positive', '0': 'negative' };
    expect(sentimentFrom([0.45, 0.55], ['0', '1'], map)).toEqual({ sentiment: 'neutral', score: expect.closeTo(0.1, 12) });
    expect(sentimentFrom([0.9, 0.1], ['0', '1'], map)).toEqual({ sentiment: 'negative', score: expect.closeTo(-0.8, 12) });
  });

  it('refuses labels that map to no sentiment', () => {
    expect(() => sentimentFrom([0.5, 0.5], ['0', '1'])).toThrow('give a labelMap');
  });
});
