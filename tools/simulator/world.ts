/**
 * A seeded synthetic world of live-commerce for knowledge products: users with latent interests,
 * streamers with audiences and skill, courses in the five categories, ad channels with diminishing
 * returns, and true strategy effects. Everything a test may want to recover is in `truth`.
 */
import { COURSE_CATEGORIES, CourseCategory } from '@livepromo/contracts';
import { mulberry32, Rng } from '@livepromo/ml';

export { mulberry32 };
export type { Rng };

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

export function sampleWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r <= 0) return i;
  }
  return weights.length - 1;
}

/** Gamma(k,1) via Marsaglia–Tsang, used for Dirichlet interest vectors. */
function gamma(rng: Rng, k: number): number {
  if (k < 1) return gamma(rng, k + 1) * Math.pow(rng(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = rng() || 1e-12;
      const u2 = rng();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function dirichlet(rng: Rng, alpha: number[]): number[] {
  const g = alpha.map((a) => gamma(rng, a));
  const s = g.reduce((a, b) => a + b, 0);
  return g.map((x) => x / s);
}

export interface SimUser {
  id: string;
  interests: number[]; // over COURSE_CATEGORIES, sums to 1
  priceSensitivity: number; // 0..1
  activity: number; // relative propensity to show up
  isBot: boolean;
}
export interface SimStreamer {
  id: string;
  name: string;
  category: CourseCategory;
  skill: number; // conversion multiplier, ~0.5..1.5
  followers: number;
  priceBand: 'low' | 'mid' | 'high';
}
/** Sub-topics per category (what a course's syllabus covers). */
export const COURSE_TOPICS: Record<CourseCategory, string[]> = {
  programming: ['python-basics', 'web-scraping', 'data-analysis', 'automation'],
  writing: ['storytelling', 'copywriting', 'editing', 'publishing'],
  design: ['figma', 'typography', 'color', 'portfolio'],
  marketing: ['short-video', 'live-selling', 'seo', 'private-traffic'],
  management: ['okr', 'hiring', 'feedback', 'time-management'],
};

export interface SimCourse {
  id: string;
  category: CourseCategory;
  /** `category/topic` strings; course.viewed events carry some of them. */
  topics: string[];
  priceFen: number;
  refundWindowDays: number;
}
export interface SimChannel {
  name: string;
  /** revenue(s) = a · ln(1 + s / b), in fen; the true response curve. */
  a: number;
  b: number;
  dailySpendFen: number;
}

export interface WorldOptions {
  seed: number;
  users: number;
  streamers: number;
  courses: number;
  botShare: number;
}

export interface World {
  options: WorldOptions;
  users: SimUser[];
  streamers: SimStreamer[];
  courses: SimCourse[];
  channels: SimChannel[];
  /** True multiplicative uplift of purchase probability when a strategy is used in a session. */
  strategyEffects: Record<string, number>;
}

const NAMES = ['老王讲编程', '小林写作课', '设计师阿哲', '营销老陈', '管理者说', 'Code with Mia', 'Write Right', 'Pixel Pete', 'Growth Gina', 'Lead Lab'];

export function buildWorld(opts: WorldOptions): World {
  const rng = mulberry32(opts.seed);
  const cats = COURSE_CATEGORIES;
  const users: SimUser[] = Array.from({ length: opts.users }, (_, i) => {
    const base = cats.map(() => 0.3);
    base[Math.floor(rng() * cats.length)] += 2; // one dominant interest
    return {
      id: `u${i + 1}`,
      interests: dirichlet(rng, base),
      priceSensitivity: rng(),
      activity: 0.2 + rng() * 1.6,
      isBot: rng() < opts.botShare,
    };
  });
  const streamers: SimStreamer[] = Array.from({ length: opts.streamers }, (_, i) => ({
    id: `s${i + 1}`,
    name: `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : ''}`,
    category: cats[i % cats.length],
    skill: 0.5 + rng(),
    followers: Math.floor(1000 + rng() * 200000),
    priceBand: pick(rng, ['low', 'mid', 'high'] as const),
  }));
  const courses: SimCourse[] = Array.from({ length: opts.courses }, (_, i) => ({
    id: `c${i + 1}`,
    category: cats[i % cats.length],
    topics: COURSE_TOPICS[cats[i % cats.length]].map((t) => `${cats[i % cats.length]}/${t}`),
    priceFen: pick(rng, [9900, 19900, 29900, 49900, 99900]),
    refundWindowDays: pick(rng, [3, 7, 14]),
  }));
  const channels: SimChannel[] = [
    { name: 'douyin-ads', a: 9_000_000, b: 300_000, dailySpendFen: 500_000 },
    { name: 'kuaishou-ads', a: 4_000_000, b: 400_000, dailySpendFen: 500_000 },
    { name: 'wechat-ads', a: 2_500_000, b: 800_000, dailySpendFen: 300_000 },
  ];
  return {
    options: opts,
    users,
    streamers,
    courses,
    channels,
    strategyEffects: { answer_top_questions: 1.3, coupon: 1.5, lottery: 1.1, course_demo: 1.25, limited_time_price: 1.4, qa_session: 1.15 },
  };
}
