import { DEFAULT_HYBRID_WEIGHTS } from './hybrid-blend';
import { componentScores, recommendForCourse, recommendForProfile, segmentProfile, similarStreamers, userProfile } from './recommender';
import { StreamerRecord } from './streamer-features';
import { buildTenantModel, DEFAULT_MODEL_OPTIONS, PairRecord, TrainingInput } from './tenant-model';

const streamer = (id: string, cats: string[], over: Partial<StreamerRecord> = {}): StreamerRecord => ({
  streamerId: id,
  name: id.toUpperCase(),
  profileCategories: cats,
  followers: 1000,
  priceBand: 'mid',
  sessions: 2,
  liveSec: 7200,
  enters: 100,
  watchSec: 30000,
  interactions: 20,
  orders: 2,
  revenueMinor: 20000,
  sessionCategories: {},
  ...over,
});

/** Two communities: programmers watch p1..p3, designers watch d1..d3. */
function tenant(): TrainingInput {
  const streamers = [
    streamer('p1', ['programming']),
    streamer('p2', ['programming']),
    streamer('p3', ['programming'], { orders: 20 }),
    streamer('d1', ['design']),
    streamer('d2', ['design']),
    streamer('d3', ['design'], { orders: 30 }),
  ];
  const pairs: PairRecord[] = [];
  const userInterests: TrainingInput['userInterests'] = [];
  for (let u = 0; u < 20; u++) {
    const prog = u % 2 === 0;
    const mine = prog ? ['p1', 'p2', 'p3'] : ['d1', 'd2', 'd3'];
    mine.forEach((s, j) => {
      if ((u + j) % 3 === 0 && u > 3) return; // leave gaps for CF to fill
      pairs.push({ userId: `u${u}`, streamerId: s, enters: 2 + j, watchSec: 1200, interactions: 3, purchases: 0, lastAt: 1_000 + u * 10 + j });
    });
    userInterests.push({ userId: `u${u}`, category: prog ? 'programming' : 'design', weight: 3 });
  }
  return { tenantId: 't1', streamers, pairs, userInterests };
}

const model = buildTenantModel(tenant(), { ...DEFAULT_MODEL_OPTIONS, factors: 4, iterations: 8, weights: DEFAULT_HYBRID_WEIGHTS });

describe('tenant model and recommendations', () => {
  it('builds features, factors and clusters for every streamer', () => {
    expect(model.stats.streamers).toBe(6);
    expect(model.stats.users).toBe(20);
    expect(model.clustering.k).toBeGreaterThanOrEqual(2);
    expect(model.clustering.clusters.reduce((a, c) => a + c.size, 0)).toBe(6);
    // audience of a programming streamer is made of programming fans
    expect(model.features[0].audience[0]).toBe(1);
  });

  it('recommends a programmer their own community with score components that add up and reasons', () => {
    const recs = recommendForProfile(model, userProfile(model, 'u4'), { limit: 3, diversify: false, mmrLambda: 0.7 });
    expect(recs.map((r) => r.streamerId).sort()).toEqual(['p1', 'p2', 'p3']);
    for (const r of recs) {
      const sum = Object.values(r.components).reduce((a, c) => a + c.contribution, 0);
      expect(sum).toBeCloseTo(r.score, 3);
      expect(r.reasons.some((x) => x.startsWith('shares interests: programming'))).toBe(true);
    }
  });

  it('serves a cold-start user from the content side', () => {
    const seg = segmentProfile(model, [], { design: 1 });
    const recs = recommendForProfile(model, seg.profile, { limit: 3, diversify: false, mmrLambda: 0.7 });
    expect(recs.map((r) => r.streamerId).sort()).toEqual(['d1', 'd2', 'd3']);
    expect(recs[0].reasons).toContain('cold start: no viewing history, ranked by content match and popularity');
    expect(recommendForProfile(model, userProfile(model, 'nobody'), { limit: 2, diversify: true, mmrLambda: 0.5 })).toHaveLength(2);
  });

  it('ranks streamers for a design course by expected enrolments, favouring the best converter', () => {
    const recs = recommendForCourse(model, { vector: Float64Array.from([0, 0, 1, 0, 0]), audience: ['u1', 'u3'] }, 3);
    expect(recs[0].streamerId).toBe('d3');
    expect(recs[0].expectedEnrolments).toBeCloseTo(recs[0].predictedConversion * recs[0].reach, 4);
    expect(recs[0].audienceOverlap.users).toBeGreaterThan(0);
  });

  it('finds streamers similar to a streamer within its community', () => {
    const sims = similarStreamers(model, 'p1', 2);
    expect(sims?.map((s) => s.streamerId).sort()).toEqual(['p2', 'p3']);
    expect(similarStreamers(model, 'missing', 2)).toBeNull();
  });

  it('serves a cold-start streamer (profile only: no sessions, no viewers) from the content side', () => {
    const input = tenant();
    const cold = streamer('w1', ['writing'], { followers: 20000, sessions: 0, liveSec: 0, enters: 0, watchSec: 0, interactions: 0, orders: 0, revenueMinor: 0 });
    const m = buildTenantModel({ ...input, streamers: [...input.streamers, cold] }, { ...DEFAULT_MODEL_OPTIONS, factors: 4, iterations: 8, weights: DEFAULT_HYBRID_WEIGHTS });
    const w = m.streamerIndex.get('w1') as number;
    expect(m.features[w].content[1]).toBe(1); // writing
    // a segment interested in writing gets it first, from content alone (no CF, repeat or popularity)
    const seg = recommendForProfile(m, segmentProfile(m, [], { writing: 1 }).profile, { limit: 2, diversify: false, mmrLambda: 0.7 });
    expect(seg[0].streamerId).toBe('w1');
    expect(seg[0].components.content.value).toBeCloseTo(0.6, 6); // 0.6·cos(content) + 0.4·cos(empty audience = 0)
    expect(seg[0].components.cf.value).toBe(0);
    expect(seg[0].components.popularity.value).toBe(0);
    // a writing course: reach from followers × FOLLOWER_REACH, conversion shrunk to the tenant rate
    const course = recommendForCourse(m, { vector: Float64Array.from([0, 1, 0, 0, 0]), audience: [] }, 1)[0];
    expect(course.streamerId).toBe('w1');
    expect(course.reach).toBeCloseTo(20000 * DEFAULT_MODEL_OPTIONS.followerReach, 6);
    expect(course.components.conversionRateSmoothed).toBeCloseTo(m.tenantConversion, 6);
    // warm users keep their own community on top
    expect(recommendForProfile(m, userProfile(m, 'u4'), { limit: 3, diversify: false, mmrLambda: 0.7 }).map((r) => r.streamerId).sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('re-ranks for diversity: with MMR the top list reaches into the other community', () => {
    const p = userProfile(model, 'u4');
    const plain = recommendForProfile(model, p, { limit: 3, diversify: false, mmrLambda: 0.3 }).map((r) => r.streamerId);
    const diverse = recommendForProfile(model, p, { limit: 3, diversify: true, mmrLambda: 0.3 }).map((r) => r.streamerId);
    expect(plain.every((s) => s.startsWith('p'))).toBe(true);
    expect(diverse[0]).toBe(plain[0]);
    expect(diverse.some((s) => s.startsWith('d'))).toBe(true);
  });
});

describe('BPR as the cf model', () => {
  it('trains BPR when configured and serves its order through the cf component', () => {
    const m = buildTenantModel(tenant(), { ...DEFAULT_MODEL_OPTIONS, cfModel: 'bpr', bpr: { factors: 4, epochs: 20, learningRate: 0.05, reg: 0.001 }, weights: DEFAULT_HYBRID_WEIGHTS });
    expect(m.phases.bpr).toBeGreaterThanOrEqual(0);
    expect(m.als.factors).toBe(5); // 4 factors + the item bias
    const someone = m.userIds.find((id) => m.history[m.userIndex.get(id) as number].length) as string;
    const comps = componentScores(m, userProfile(m, someone));
    expect(Math.max(...comps.cf)).toBe(1);
    expect(Math.min(...comps.cf)).toBe(0);
  });
});
