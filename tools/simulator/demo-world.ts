/**
 * The demo world of `npm start`: a knowledge-course shop (8 streamers with distinct audiences and courses, 10
 * courses, 3 ad channels) with a week of past live sessions and one session live now. Seeded and deterministic;
 * everything a test may want to recover is in `truth`:
 * - `bestStreamerFor[course]`: the streamer who converts that course's audience best (planted skill);
 * - `bestStrategy`: the interaction strategy that truly fixes the live room's recurring "clicks but no orders"
 *   minutes (`strategyEffects`: conversion multiplier while a strategy is on air), which the bandit should learn.
 * History comes out of `historyEvents` (ordered per session); the live room out of `LiveRoom`, ten seconds at a time.
 */
import { mulberry32, pick, Rng, sampleWeighted } from './world';
import type { SimEvent, SimStats } from './day';

export interface DemoStreamer {
  id: string;
  name: string;
  category: string;
  courses: string[];
  /** conversion multiplier of the streamer (planted truth) */
  skill: number;
  /** mean peak audience of a session */
  audience: number;
  followers: number;
  priceBand: 'low' | 'mid' | 'high';
}
export interface DemoCourse {
  id: string;
  title: string;
  category: string;
  priceFen: number;
  refundWindowDays: number;
}
export interface DemoChannel {
  name: string;
  /** revenue(s) = a · ln(1 + s / b), in fen; the true response curve */
  a: number;
  b: number;
  dailySpendFen: number;
}

export const DEMO_COURSES: DemoCourse[] = [
  { id: 'c-python', title: 'Python 数据分析实战', category: 'programming', priceFen: 29_900, refundWindowDays: 7 },
  { id: 'c-excel', title: 'Excel 自动化办公', category: 'programming', priceFen: 9_900, refundWindowDays: 7 },
  { id: 'c-copy', title: '爆款文案写作课', category: 'writing', priceFen: 19_900, refundWindowDays: 7 },
  { id: 'c-novel', title: '网文写作 21 天', category: 'writing', priceFen: 49_900, refundWindowDays: 14 },
  { id: 'c-figma', title: 'Figma UI 设计入门', category: 'design', priceFen: 39_900, refundWindowDays: 7 },
  { id: 'c-ps', title: 'PS 修图与海报', category: 'design', priceFen: 19_900, refundWindowDays: 3 },
  { id: 'c-shortvideo', title: '短视频运营训练营', category: 'marketing', priceFen: 59_900, refundWindowDays: 14 },
  { id: 'c-live', title: '直播带货话术', category: 'marketing', priceFen: 29_900, refundWindowDays: 7 },
  { id: 'c-okr', title: 'OKR 与团队管理', category: 'management', priceFen: 99_900, refundWindowDays: 14 },
  { id: 'c-time', title: '职场时间管理', category: 'management', priceFen: 9_900, refundWindowDays: 3 },
];

export const DEMO_STREAMERS: DemoStreamer[] = [
  { id: 's-laowang', name: '老王讲 Python', category: 'programming', courses: ['c-python', 'c-excel'], skill: 1.7, audience: 1400, followers: 182_000, priceBand: 'mid' },
  { id: 's-xiaolin', name: '数据小林', category: 'programming', courses: ['c-python', 'c-excel'], skill: 0.45, audience: 900, followers: 64_000, priceBand: 'low' },
  { id: 's-su', name: '苏老师写作课', category: 'writing', courses: ['c-copy', 'c-novel'], skill: 1.3, audience: 700, followers: 95_000, priceBand: 'mid' },
  { id: 's-azhe', name: '设计师阿哲', category: 'design', courses: ['c-figma', 'c-ps'], skill: 1.1, audience: 600, followers: 71_000, priceBand: 'high' },
  { id: 's-chen', name: '营销老陈', category: 'marketing', courses: ['c-shortvideo', 'c-live'], skill: 1.4, audience: 1100, followers: 240_000, priceBand: 'high' },
  { id: 's-gina', name: '运营 Gina', category: 'marketing', courses: ['c-live', 'c-shortvideo'], skill: 0.8, audience: 500, followers: 38_000, priceBand: 'mid' },
  { id: 's-guanli', name: '管理者说', category: 'management', courses: ['c-okr', 'c-time'], skill: 1.2, audience: 450, followers: 52_000, priceBand: 'high' },
  { id: 's-mia', name: '效率 Mia', category: 'management', courses: ['c-time', 'c-okr'], skill: 0.75, audience: 350, followers: 23_000, priceBand: 'low' },
];

export const DEMO_CHANNELS: DemoChannel[] = [
  { name: 'douyin-ads', a: 3_000_000, b: 300_000, dailySpendFen: 500_000 },
  { name: 'kuaishou-ads', a: 1_400_000, b: 400_000, dailySpendFen: 400_000 },
  { name: 'wechat-ads', a: 800_000, b: 800_000, dailySpendFen: 250_000 },
];

/** True effect e of a strategy on air in a "clicks but no orders" incident: engagement 0.5·(0.6 + 1.4e) of normal, click→order 40 %·e³ (planted truth; 40 % outside incidents). */
export const DEMO_STRATEGY_EFFECTS: Record<string, number> = {
  limited_time_price: 1.0, // restores the room's engagement and conversion: the best
  coupon: 0.2,
  course_demo: 0.1,
  syllabus_walkthrough: 0,
};

export interface DemoTruth {
  bestStreamerFor: Record<string, string>;
  bestStrategy: string;
  strategyEffects: Record<string, number>;
  liveSessionId: string;
  liveStreamerId: string;
  liveCourseId: string;
  liveCategory: string;
}

export const DEMO_TRUTH: DemoTruth = {
  // per course, the highest-skill streamer who sells it
  bestStreamerFor: Object.fromEntries(
    DEMO_COURSES.map((c) => [c.id, [...DEMO_STREAMERS].filter((s) => s.courses.includes(c.id)).sort((a, b) => b.skill - a.skill)[0].id]),
  ),
  bestStrategy: 'limited_time_price',
  strategyEffects: DEMO_STRATEGY_EFFECTS,
  liveSessionId: 'ls-live-now',
  liveStreamerId: 's-laowang',
  liveCourseId: 'c-python',
  liveCategory: 'programming',
};

const COMMENTS: Record<string, string[]> = {
  price_question: ['多少钱？', '这个课多少钱', '有优惠吗', '价格是多少呀', '学生有折扣吗', '能分期吗'],
  how_to_buy: ['怎么买', '链接在哪', '怎么报名', '在哪里下单', '小黄车在哪', '购物车点不开'],
  course_content: ['课程讲什么内容', '适合零基础吗', '有几节课', '有实战项目吗', '有回放吗', '学完能找工作吗'],
  complaint: ['太贵了', '讲得太慢了', '听不清', '卡顿了', '广告太多', '声音太小'],
  praise: ['讲得真好', '老师厉害', '学到了', '干货满满', '已经下单了', '老师讲得清楚'],
  other: ['来了', '哈哈哈', '打卡', '第一次来', '666', '晚上好'],
};
const INTENTS = Object.keys(COMMENTS);
const INTENT_WEIGHTS = [0.16, 0.1, 0.16, 0.07, 0.2, 0.31];
const REFERRERS = ['feed', 'follow', 'search', 'ad'];

const iso = (ms: number) => new Date(ms).toISOString();

/** An event factory with the ids of one generator run. */
function factory(tenantId: string, prefix: string, stats: SimStats) {
  let n = 0;
  return (e: Omit<SimEvent, 'eventId' | 'tenantId' | 'source'>): SimEvent => {
    n++;
    stats.events++;
    stats.byType[e.type] = (stats.byType[e.type] ?? 0) + 1;
    return { eventId: `${prefix}-${n}`, tenantId, source: 'generic', ...e };
  };
}

export interface HistoryOptions {
  tenantId: string;
  /** "now": sessions are placed in the 7 days before it */
  nowMs: number;
  seed: number;
  /** scales the audience of every past session (1 = hundreds to thousands of viewers) */
  audienceScale?: number;
}

/** The users of the world: u1…uN, each with one dominant category and a price sensitivity. */
export interface DemoUser {
  id: string;
  category: string;
  priceSensitivity: number;
}

export function demoUsers(seed: number, count = 4000): DemoUser[] {
  const rng = mulberry32(seed);
  const cats = ['programming', 'writing', 'design', 'marketing', 'management'];
  return Array.from({ length: count }, (_, i) => ({ id: `u${i + 1}`, category: cats[Math.floor(rng() * rng() * 5 + rng() * 2) % 5], priceSensitivity: rng() }));
}

/**
 * A week of history: streamer profiles, 17 past sessions (one per streamer every ~3 days, 2–3 a day) each with
 * hundreds of viewers, Chinese comments with the intent mix, clicks, orders created → paid (some refunded), the
 * streamer fee and commission, and ad spend per channel per day with the orders its true curve yields.
 */
export function* historyEvents(opts: HistoryOptions, stats: SimStats): Generator<SimEvent> {
  const rng: Rng = mulberry32(opts.seed ^ 0x7e57);
  const ev = factory(opts.tenantId, `demo-${opts.seed}-h`, stats);
  const users = demoUsers(opts.seed);
  const scale = opts.audienceScale ?? 1;
  const dayMs = 86_400_000;
  const today0 = Math.floor(opts.nowMs / dayMs) * dayMs;
  const weekAgo = today0 - 7 * dayMs;
  for (const s of DEMO_STREAMERS) {
    yield ev({ type: 'streamer.profile.upserted', occurredAt: iso(weekAgo), streamerId: s.id, payload: { name: s.name, categories: [s.category], followers: s.followers, priceBand: s.priceBand } });
  }
  // ad spend and ad-attributed orders, per channel per day, including today so far
  for (let d = 0; d <= 7; d++) {
    const dayStart = weekAgo + d * dayMs;
    const spendAt = dayStart + 2 * 3_600_000; // 10:00 Beijing
    if (spendAt > opts.nowMs - 60_000) continue;
    for (const ch of DEMO_CHANNELS) {
      const spend = Math.round(ch.dailySpendFen * (0.4 + rng() * 1.4));
      stats.costFen += spend;
      yield ev({ type: 'cost.ad_spend', occurredAt: iso(spendAt), payload: { channel: ch.name, amount: { amountMinor: spend, currency: 'CNY' }, impressions: Math.round(spend / 8) } });
      let target = ch.a * Math.log(1 + spend / ch.b);
      let k = 0;
      while (target > 0) {
        const course = pick(rng, DEMO_COURSES);
        const user = pick(rng, users);
        const at = Math.min(opts.nowMs - 120_000, spendAt + Math.floor(rng() * 12 * 3_600_000));
        const orderId = `o-ad-${d}-${ch.name}-${k++}`;
        yield ev({ type: 'course.viewed', occurredAt: iso(at - 90_000), userId: user.id, courseId: course.id, payload: { category: course.category, durationSec: Math.round(30 + rng() * 300) } });
        yield ev({ type: 'order.created', occurredAt: iso(at - 30_000), userId: user.id, courseId: course.id, payload: { orderId, price: { amountMinor: course.priceFen, currency: 'CNY' } } });
        yield ev({ type: 'order.paid', occurredAt: iso(at), userId: user.id, courseId: course.id, payload: { orderId, amount: { amountMinor: course.priceFen, currency: 'CNY' }, channel: ch.name, category: course.category, refundWindowDays: course.refundWindowDays } });
        stats.paidRevenueFen += course.priceFen;
        target -= course.priceFen;
      }
    }
  }
  // past sessions: streamer i goes live on days i%3, i%3+3, (i%3+6 if before today) at 19:00–22:00 Beijing
  const sessions: { s: DemoStreamer; start: number; idx: number }[] = [];
  DEMO_STREAMERS.forEach((s, i) => {
    for (let d = i % 3; d < 7; d += 3) sessions.push({ s, start: weekAgo + d * dayMs + (11 + (i % 3)) * 3_600_000, idx: sessions.length });
  });
  sessions.sort((a, b) => a.start - b.start);
  for (const { s, start, idx } of sessions) {
    const buf: SimEvent[] = [];
    const sessionId = `ls-${s.id.slice(2)}-${new Date(start).toISOString().slice(5, 10).replace('-', '')}`;
    const course = DEMO_COURSES.find((c) => c.id === s.courses[idx % s.courses.length])!;
    const durationSec = 3600 + Math.floor(rng() * 4) * 900;
    const base = { streamerId: s.id, liveSessionId: sessionId, courseId: course.id };
    buf.push(ev({ type: 'live.session.started', occurredAt: iso(start), ...base, payload: { title: `${s.name} · ${course.title}`, category: s.category, courseIds: [course.id] } }));
    const fee = 150_000 + Math.round(s.followers / 2);
    stats.costFen += fee;
    buf.push(ev({ type: 'cost.streamer_fee', occurredAt: iso(start), ...base, payload: { amount: { amountMinor: fee, currency: 'CNY' } } }));
    buf.push(ev({ type: 'cost.commission', occurredAt: iso(start), ...base, payload: { rate: 0.2 } }));
    const viewers = Math.round(s.audience * scale * (0.7 + rng() * 0.6));
    const inCat = users.filter((u) => u.category === s.category);
    const seen = new Set<string>();
    let peak = 0;
    for (let v = 0; v < viewers; v++) {
      const user = rng() < 0.8 && inCat.length ? pick(rng, inCat) : pick(rng, users);
      if (seen.has(user.id)) continue;
      seen.add(user.id);
      peak++;
      const enter = start + Math.floor(rng() * durationSec * 0.85) * 1000;
      const interested = user.category === s.category;
      const watch = Math.min(durationSec - (enter - start) / 1000, Math.round(120 + rng() * 1800 * (interested ? 1 : 0.4)));
      const u = { ...base, userId: user.id };
      const at = (off: number) => iso(enter + Math.floor(off * 1000));
      buf.push(ev({ type: 'live.room.entered', occurredAt: at(0), ...u, payload: { referrer: pick(rng, REFERRERS) } }));
      if (rng() < 0.45) {
        const intent = INTENTS[sampleWeighted(rng, INTENT_WEIGHTS)];
        buf.push(ev({ type: 'live.comment.posted', occurredAt: at(rng() * watch), ...u, payload: { text: pick(rng, COMMENTS[intent]), lang: 'zh' } }));
      }
      if (rng() < 0.35) buf.push(ev({ type: 'live.like', occurredAt: at(rng() * watch), ...u, payload: { count: 1 + Math.floor(rng() * 8) } }));
      if (rng() < 0.03) buf.push(ev({ type: 'streamer.followed', occurredAt: at(rng() * watch), ...u, payload: {} }));
      if (rng() < (interested ? 0.3 : 0.08)) {
        buf.push(ev({ type: 'live.product.clicked', occurredAt: at(watch * 0.6), ...u, payload: { position: 1 } }));
        const buyP = Math.min(0.9, 0.16 * s.skill * (1 - 0.4 * user.priceSensitivity));
        if (rng() < buyP) {
          const orderId = `o-${sessionId}-${user.id}`;
          buf.push(ev({ type: 'order.created', occurredAt: at(watch * 0.65), ...u, payload: { orderId, price: { amountMinor: course.priceFen, currency: 'CNY' } } }));
          if (rng() < 0.9) {
            buf.push(ev({ type: 'order.paid', occurredAt: at(watch * 0.68), ...u, payload: { orderId, amount: { amountMinor: course.priceFen, currency: 'CNY' }, category: course.category, refundWindowDays: course.refundWindowDays } }));
            stats.paidRevenueFen += course.priceFen;
            const refundAt = enter + watch * 1000 + (1 + Math.floor(rng() * 48)) * 3_600_000;
            if (rng() < 0.07 && refundAt < opts.nowMs - 60_000) {
              buf.push(ev({ type: 'order.refunded', occurredAt: iso(refundAt), ...u, payload: { orderId, amount: { amountMinor: course.priceFen, currency: 'CNY' }, reason: '不适合我' } }));
              stats.refundedFen += course.priceFen;
            }
          }
        }
      }
      buf.push(ev({ type: 'live.room.left', occurredAt: at(watch), ...u, payload: { watchSec: watch } }));
    }
    buf.push(ev({ type: 'live.session.ended', occurredAt: iso(start + durationSec * 1000), ...base, payload: { peakViewers: peak, durationSec } }));
    buf.sort((x, y) => x.occurredAt.localeCompare(y.occurredAt));
    yield* buf;
  }
}

/**
 * The session live now (the planted best streamer selling c-python), generated ten seconds at a time so a
 * timer can feed it in real time. Every fourth minute from minute 6 the room falls into "clicks but no orders" (many
 * clicks, no order, engagement halved) for 120 s: `applyStrategy` (called when a clicks_without_orders suggestion is
 * accepted) moves engagement and conversion by `DEMO_STRATEGY_EFFECTS[strategy]` for the rest of the incident.
 */
export class LiveRoom {
  private readonly rng: Rng;
  private readonly ev: (e: Omit<SimEvent, 'eventId' | 'tenantId' | 'source'>) => SimEvent;
  private readonly users: DemoUser[];
  private readonly present = new Map<string, number>(); // userId → entered at
  private readonly base: { streamerId: string; liveSessionId: string; courseId: string };
  private readonly course: DemoCourse;
  /** event time generated up to (exclusive) */
  cursorMs: number;
  private started = false;
  private incidentUntil = 0;
  private fix: { strategy: string; effect: number } | null = null;
  private orders = 0;
  private nextUser = 0;
  readonly log: { atMs: number; what: string }[] = [];

  constructor(
    tenantId: string,
    readonly startMs: number,
    seed: number,
    stats: SimStats,
    private readonly peakViewers = 1200,
  ) {
    this.rng = mulberry32(seed ^ 0x11fe);
    this.ev = factory(tenantId, `demo-${seed}-live-${startMs}`, stats);
    this.users = demoUsers(seed);
    this.base = { streamerId: DEMO_TRUTH.liveStreamerId, liveSessionId: DEMO_TRUTH.liveSessionId, courseId: DEMO_TRUTH.liveCourseId };
    this.course = DEMO_COURSES.find((c) => c.id === DEMO_TRUTH.liveCourseId)!;
    this.cursorMs = startMs;
  }

  /** Whether the room is in a "clicks but no orders" incident that no strategy fixed yet. */
  get inIncident(): boolean {
    return this.cursorMs < this.incidentUntil;
  }

  /**
   * A strategy goes on air (an accepted suggestion): one answering the incident's trigger (clicks_without_orders)
   * changes engagement and conversion for the rest of the incident; others leave the room as it is.
   */
  applyStrategy(strategy: string, trigger: string, atMs: number): void {
    const effect = DEMO_STRATEGY_EFFECTS[strategy];
    if (effect === undefined || trigger !== 'clicks_without_orders') return;
    if (!this.inIncident || this.fix) return; // one strategy per incident: the first one accepted
    this.fix = { strategy, effect };
    this.incidentUntil = Math.max(this.incidentUntil, atMs + 150_000); // its effect is measured over the next two minutes
    this.log.push({ atMs, what: `${strategy} on air (conversion ×${effect})` });
  }

  /** The events of [cursor, untilMs), in event-time order, in 10-second steps. */
  advance(untilMs: number): SimEvent[] {
    const out: SimEvent[] = [];
    const rng = this.rng;
    if (!this.started) {
      this.started = true;
      out.push(this.ev({ type: 'live.session.started', occurredAt: iso(this.startMs), ...this.base, payload: { title: `老王讲 Python · ${this.course.title}`, category: DEMO_TRUTH.liveCategory, courseIds: [this.course.id] } }));
      out.push(this.ev({ type: 'cost.streamer_fee', occurredAt: iso(this.startMs), ...this.base, payload: { amount: { amountMinor: 240_000, currency: 'CNY' } } }));
      out.push(this.ev({ type: 'cost.commission', occurredAt: iso(this.startMs), ...this.base, payload: { rate: 0.2 } }));
    }
    while (this.cursorMs + 10_000 <= untilMs) {
      const t = this.cursorMs;
      const minute = Math.floor((t - this.startMs) / 60_000);
      // incidents: minute 6, 10, 14, … start one lasting 120 s, or until 150 s after a strategy went on air
      if ((t - this.startMs) % 60_000 === 0 && minute >= 6 && minute % 4 === 2) {
        this.incidentUntil = t + 120_000;
        this.fix = null;
        this.log.push({ atMs: t, what: 'incident: clicks but no orders' });
      }
      const incident = t < this.incidentUntil;
      // audience ramps to peakViewers over 20 minutes, with a slow wave
      const target = Math.round(this.peakViewers * Math.min(1, 0.15 + minute / 20) * (0.9 + 0.1 * Math.sin(minute / 3)));
      const arrivals = Math.max(0, Math.round((target - this.present.size) * 0.35 + this.present.size * 0.02));
      const at = (off: number) => iso(t + Math.floor(off));
      for (let i = 0; i < arrivals; i++) {
        const user = this.users[(this.nextUser++ * 7919) % this.users.length];
        if (this.present.has(user.id)) continue;
        this.present.set(user.id, t);
        out.push(this.ev({ type: 'live.room.entered', occurredAt: at(rng() * 10_000), ...this.base, userId: user.id, payload: { referrer: pick(rng, REFERRERS) } }));
      }
      const here = [...this.present.keys()];
      // departures: ~2% of the room per 10 s
      for (const id of here) {
        if (rng() < 0.02) {
          const watchSec = Math.max(1, Math.round((t + 5_000 - (this.present.get(id) ?? t)) / 1000));
          this.present.delete(id);
          out.push(this.ev({ type: 'live.room.left', occurredAt: at(5_000 + rng() * 4_999), ...this.base, userId: id, payload: { watchSec } }));
        }
      }
      const who = () => here[Math.floor(rng() * here.length)];
      // in an incident engagement halves and nobody buys; a strategy on air moves both by its true effect
      const effect = this.fix ? this.fix.effect : null;
      const engagement = incident ? 0.5 * (effect === null ? 1 : 0.6 + 1.4 * effect) : 1;
      if (here.length) {
        const comments = Math.round(here.length * 0.012 * engagement * (0.7 + rng() * 0.6));
        for (let i = 0; i < comments; i++) {
          // during an incident people ask about the price
          const intent = incident && rng() < 0.4 ? 'price_question' : INTENTS[sampleWeighted(rng, INTENT_WEIGHTS)];
          out.push(this.ev({ type: 'live.comment.posted', occurredAt: at(rng() * 10_000), ...this.base, userId: who(), payload: { text: pick(rng, COMMENTS[intent]), lang: 'zh' } }));
        }
        const likes = Math.round(here.length * 0.015 * engagement * (0.7 + rng() * 0.6));
        for (let i = 0; i < likes; i++) out.push(this.ev({ type: 'live.like', occurredAt: at(rng() * 10_000), ...this.base, userId: who(), payload: { count: 1 + Math.floor(rng() * 5) } }));
        const clicks = Math.round(here.length * (incident ? 0.012 : 0.008) * (0.7 + rng() * 0.6)) + (incident ? 2 : 0);
        const conv = incident ? 0.4 * (effect === null ? 0 : effect ** 3) : 0.4;
        for (let i = 0; i < clicks; i++) {
          const u = who();
          const c0 = t + rng() * 8_000;
          out.push(this.ev({ type: 'live.product.clicked', occurredAt: iso(c0), ...this.base, userId: u, payload: { position: 1 } }));
          if (rng() < conv) {
            const orderId = `o-live-${this.startMs}-${++this.orders}`;
            out.push(this.ev({ type: 'order.created', occurredAt: iso(c0 + 500), ...this.base, userId: u, payload: { orderId, price: { amountMinor: this.course.priceFen, currency: 'CNY' } } }));
            out.push(this.ev({ type: 'order.paid', occurredAt: iso(c0 + 1_500), ...this.base, userId: u, payload: { orderId, amount: { amountMinor: this.course.priceFen, currency: 'CNY' }, category: this.course.category, refundWindowDays: this.course.refundWindowDays } }));
          }
        }
      }
      this.cursorMs += 10_000;
    }
    out.sort((x, y) => x.occurredAt.localeCompare(y.occurredAt));
    return out;
  }
}
