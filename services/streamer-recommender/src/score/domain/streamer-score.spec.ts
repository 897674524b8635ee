import { categoryShare, DEFAULT_STREAMER_SCORE_WEIGHTS, mergeStreamerScoreWeights, rankStreamers, streamerScore, StreamerScoreRecord, tenantConversion } from './streamer-score';

const rec = (over: Partial<StreamerScoreRecord>): StreamerScoreRecord => ({
  streamerId: 's',
  name: null,
  profileCategories: [],
  sessionCategories: {},
  followers: 0,
  sessions: 0,
  liveSec: 0,
  enters: 0,
  orders: 0,
  ...over,
});

describe('streamer score M = Σδ·C + ε·B', () => {
  it('equals the hand-computed value term by term', () => {
    // profile: programming; sessions: 3 programming, 1 design → categoryFit(programming) = (1+3)/(1+3+1) = 0.8
    // followers 9000 → ln(1 + 9) = ln 10; live 2 h 3 min... use 3 hours → ln 4
    // B = 100·(6 + 50·0.05)/(100 + 50) = 100·8.5/150 = 5.6667
    const r = rec({ streamerId: 'a', profileCategories: ['programming'], sessionCategories: { programming: 3, design: 1 }, followers: 9000, liveSec: 3 * 3600, enters: 100, orders: 6, sessions: 4 });
    const w = { delta: { categoryFit: 10, followers: 0.2, liveHours: 0.1 }, epsilon: 1 };
    const s = streamerScore(r, w, { category: 'programming', tenantConversion: 0.05, shrinkage: 50 });
    const byName = Object.fromEntries(s.terms.map((t) => [t.name, t]));
    expect(byName.categoryFit.input).toBeCloseTo(0.8, 12);
    expect(byName.followers.input).toBeCloseTo(Math.log(10), 12);
    expect(byName.liveHours.input).toBeCloseTo(Math.log(4), 12);
    expect(byName.behaviour.input).toBeCloseTo(850 / 150, 12);
    expect(byName.behaviour.rawValue).toBeCloseTo(6, 12); // 6 orders per 100 entries, before shrinkage
    const expected = 10 * 0.8 + 0.2 * Math.log(10) + 0.1 * Math.log(4) + 850 / 150; // 8 + 0.460517 + 0.138629 + 5.666667 = 14.265813
    expect(s.value).toBeCloseTo(expected, 12);
    expect(s.value).toBeCloseTo(14.265813, 5);
    expect(s.sample).toEqual({ sessions: 4, liveHours: 3, roomEntries: 100, paidOrders: 6 });
  });

  it('without a target category the fit term is 0; an unseen streamer gets B = 100·p0', () => {
    const s = streamerScore(rec({}), DEFAULT_STREAMER_SCORE_WEIGHTS, { category: null, tenantConversion: 0.04, shrinkage: 50 });
    expect(s.terms.find((t) => t.name === 'categoryFit')!.contribution).toBe(0);
    expect(s.value).toBeCloseTo(4, 12);
  });

  it('ranks by M: the in-category converter first; the tenant rate is Σorders/Σentries', () => {
    const records = [
      rec({ streamerId: 'cross', profileCategories: ['design'], sessionCategories: { design: 5 }, enters: 1000, orders: 90 }),
      rec({ streamerId: 'fit-good', profileCategories: ['programming'], sessionCategories: { programming: 5 }, enters: 1000, orders: 60 }),
      rec({ streamerId: 'fit-poor', profileCategories: ['programming'], sessionCategories: { programming: 5 }, enters: 1000, orders: 20 }),
    ];
    expect(tenantConversion(records)).toBeCloseTo(170 / 3000, 12);
    const { scores } = rankStreamers(records, DEFAULT_STREAMER_SCORE_WEIGHTS, 'programming');
    expect(scores.map((s) => s.streamerId)).toEqual(['fit-good', 'fit-poor', 'cross']);
    // with the category weight at 0 the raw converter wins: the weights matter
    const { scores: noFit } = rankStreamers(records, mergeStreamerScoreWeights({ delta: { categoryFit: 0 } }), 'programming');
    expect(noFit[0].streamerId).toBe('cross');
  });

  it('category share counts profile categories once and sessions per session', () => {
    expect(categoryShare({ profileCategories: ['writing', 'design'], sessionCategories: { writing: 2 } }, 'writing')).toBeCloseTo(0.75, 12);
    expect(categoryShare({ profileCategories: [], sessionCategories: {} }, 'writing')).toBe(0);
  });

  it('missing weights take the defaults', () => {
    expect(mergeStreamerScoreWeights({ epsilon: 3 })).toEqual({ delta: DEFAULT_STREAMER_SCORE_WEIGHTS.delta, epsilon: 3 });
    expect(mergeStreamerScoreWeights(null)).toEqual(DEFAULT_STREAMER_SCORE_WEIGHTS);
  });
});
