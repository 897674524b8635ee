import { DEFAULT_CONTENT_SCORE_WEIGHTS, liveContentScore, mergeContentScoreWeights, SessionTotals } from './live-content-score';

const totals = (over: Partial<SessionTotals> = {}): SessionTotals => ({
  entered: 0,
  comments: 0,
  likes: 0,
  gifts: 0,
  shares: 0,
  follows: 0,
  clicks: 0,
  coupons: 0,
  lotteryJoins: 0,
  classified: 0,
  intentCourseContent: 0,
  intentPraise: 0,
  sentNegative: 0,
  acceptedSuggestions: 0,
  ...over,
});

describe('live-content score L = Σθ·L + φ·I', () => {
  it('equals the hand-computed value term by term', () => {
    // 200 entries; 80 classified comments: 20 course-content (0.25), 16 praise (0.2), 8 negative (0.1);
    // 10 coupon claims → 5 per 100 → ln 6; 2 lottery joins → 1 per 100 → ln 2; 3 accepted → ln 4;
    // interactions 100 comments + 150 likes + 2 gifts + 4 shares + 6 follows + 38 clicks = 300 → 1.5 per entry → ln 2.5
    const t = totals({ entered: 200, comments: 100, likes: 150, gifts: 2, shares: 4, follows: 6, clicks: 38, coupons: 10, lotteryJoins: 2, classified: 80, intentCourseContent: 20, intentPraise: 16, sentNegative: 8, acceptedSuggestions: 3 });
    const s = liveContentScore(t, DEFAULT_CONTENT_SCORE_WEIGHTS);
    const by = Object.fromEntries(s.terms.map((x) => [x.name, x]));
    expect(by.contentQuestions.input).toBeCloseTo(0.25, 12);
    expect(by.praise.input).toBeCloseTo(0.2, 12);
    expect(by.negative.input).toBeCloseTo(0.1, 12);
    expect(by.couponClaims.input).toBeCloseTo(Math.log(6), 12);
    expect(by.lotteryJoins.input).toBeCloseTo(Math.log(2), 12);
    expect(by.acceptedSuggestions.input).toBeCloseTo(Math.log(4), 12);
    expect(by.interaction.input).toBeCloseTo(Math.log(2.5), 12);
    // 2·0.25 + 2·0.2 − 3·0.1 + 0.3·ln6 + 0.2·ln2 + 0.5·ln4 + ln2.5 = 0.5 + 0.4 − 0.3 + 0.537528 + 0.138629 + 0.693147 + 0.916291
    expect(s.value).toBeCloseTo(2.885595, 5);
    expect(s.sample).toEqual({ roomEntries: 200, classifiedComments: 80, interactions: 300, acceptedSuggestions: 3 });
  });

  it('an empty session scores 0 (no division by zero)', () => {
    const s = liveContentScore(totals(), DEFAULT_CONTENT_SCORE_WEIGHTS);
    expect(s.value).toBe(0);
    expect(s.terms.every((x) => Number.isFinite(x.input))).toBe(true);
  });

  it('tenant weights change the value; missing ones take the defaults', () => {
    const w = mergeContentScoreWeights({ phi: 0, theta: { negative: 0 } });
    expect(w.theta.praise).toBe(DEFAULT_CONTENT_SCORE_WEIGHTS.theta.praise);
    const s = liveContentScore(totals({ entered: 10, comments: 10, classified: 10, sentNegative: 10 }), w);
    expect(s.value).toBe(0);
  });
});
