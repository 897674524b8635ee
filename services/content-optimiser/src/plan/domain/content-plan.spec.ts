import { betaSummary, buildContentPlan, normaliseQuestion, PlanInput } from './content-plan';

const base = (over: Partial<PlanInput> = {}): PlanInput => ({
  durationMin: 90,
  courseTopics: [
    { topic: 'programming/python-basics', users: 100 },
    { topic: 'programming/web-scraping', users: 60 },
    { topic: 'programming/data-analysis', users: 40 },
  ],
  segmentKnownUsers: 0,
  segmentTopicUsers: new Map(),
  interests: {},
  arms: [],
  triggerMinutes: new Map(),
  questions: [],
  questionsFrom: 'none',
  ...over,
});

describe('buildContentPlan', () => {
  it('without segment data, orders topics by the course viewers and fills the session exactly', () => {
    const p = buildContentPlan(base());
    expect(p.agenda.map((a) => a.topic)).toEqual(['programming/python-basics', 'programming/web-scraping', 'programming/data-analysis']);
    expect(p.agenda[0].startMin).toBe(5);
    const last = p.agenda[p.agenda.length - 1];
    expect(last.startMin + last.durationMin).toBe(90 - 10); // the offer takes the last 10 minutes
    for (const a of p.agenda) expect(a.durationMin).toBeGreaterThanOrEqual(5);
    // more interest → more time
    expect(p.agenda[0].durationMin).toBeGreaterThan(p.agenda[2].durationMin);
  });

  it("puts the segment's own interest first once it has enough users", () => {
    const p = buildContentPlan(
      base({ segmentKnownUsers: 40, segmentTopicUsers: new Map([['programming/data-analysis', 30], ['programming/python-basics', 4]]) }),
    );
    expect(p.agenda[0].topic).toBe('programming/data-analysis');
    expect(p.agenda[0].evidence).toMatchObject({ segmentUsers: 30, segmentKnownUsers: 40, courseViewers: 40 });
    // smoothed: (30 + 5·0.4) / (40 + 5)
    expect(p.agenda[0].interest).toBeCloseTo(32 / 45, 4);
  });

  it('scales topics by the interest weights of their category', () => {
    const p = buildContentPlan(
      base({
        courseTopics: [
          { topic: 'design/figma', users: 100 },
          { topic: 'marketing/copy', users: 90 },
        ],
        interests: { design: 0.1, marketing: 0.9 },
      }),
    );
    expect(p.agenda.map((a) => a.topic)).toEqual(['marketing/copy', 'design/figma']);
  });

  it('leaves out topics that do not fit at 5 minutes each', () => {
    const topics = Array.from({ length: 30 }, (_, i) => ({ topic: `writing/t${i}`, users: 100 - i }));
    const p = buildContentPlan(base({ durationMin: 40, courseTopics: topics }));
    expect(p.agenda).toHaveLength(5); // (40 − 5 − 10) / 5
    expect(p.agenda.reduce((s, a) => s + a.durationMin, 0)).toBe(25);
  });

  it('schedules the best posterior strategy per trigger ahead of when the trigger tends to fire', () => {
    const p = buildContentPlan(
      base({
        arms: [
          { trigger: 'engagement_drop', strategy: 'lottery', alpha: 2, beta: 9, pulls: 9 },
          { trigger: 'engagement_drop', strategy: 'course_demo', alpha: 9, beta: 2, pulls: 9 },
        ],
        triggerMinutes: new Map([['engagement_drop', [20, 24, 30]]]),
      }),
    );
    const drop = p.interactions.find((i) => i.trigger === 'engagement_drop')!;
    expect(drop.strategy).toBe('course_demo');
    expect(drop.expectedSuccess).toBeCloseTo(9 / 11, 3);
    expect(drop.atMin).toBe(22); // median 24 − 2
    expect(drop.timing).toEqual({ source: 'history', firedInSessions: 3, medianMin: 24 });
    const exodus = p.interactions.find((i) => i.trigger === 'viewer_exodus')!;
    expect(exodus.timing.source).toBe('default');
    expect(exodus.atMin).toBe(54); // 60 % of 90
    expect(exodus.pulls).toBe(0);
    // sorted by time
    expect(p.interactions.map((i) => i.atMin)).toEqual([...p.interactions.map((i) => i.atMin)].sort((a, b) => a - b));
  });
});

describe('betaSummary', () => {
  it('gives the posterior mean and a 90 % interval that narrows with data', () => {
    const few = betaSummary(2, 2);
    const many = betaSummary(50, 50);
    expect(few.mean).toBe(0.5);
    expect(many.mean).toBe(0.5);
    expect(many.interval[1] - many.interval[0]).toBeLessThan(few.interval[1] - few.interval[0]);
    expect(betaSummary(1, 1).interval[0]).toBeGreaterThanOrEqual(0);
  });
});

describe('normaliseQuestion', () => {
  it('groups the same question written differently', () => {
    expect(normaliseQuestion('多少钱？')).toBe(normaliseQuestion('多少钱?'));
    expect(normaliseQuestion('How much  is it?!')).toBe(normaliseQuestion('how much is it'));
    expect(normaliseQuestion('ＡＢＣ')).toBe('abc');
  });
});
