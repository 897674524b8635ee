/**
 * Generates the events of simulated days, in time order per session, as raw envelopes ready for
 * ingestion (`POST /v1/events/batch`) or for `ingest.raw.v1`. Deterministic for a seed.
 */
import { COURSE_CATEGORIES } from '@livepromo/contracts';
import { mulberry32, pick, Rng, sampleWeighted, World } from './world';

export interface SimEvent {
  eventId: string;
  tenantId: string;
  type: string;
  source: string;
  occurredAt: string;
  userId?: string;
  streamerId?: string;
  liveSessionId?: string;
  courseId?: string;
  payload: Record<string, unknown>;
}

export interface DayOptions {
  tenantId: string;
  days: number;
  sessionsPerDay: number;
  viewersPerSession: number;
  startDate: string; // ISO date, e.g. 2026-11-01
  seed: number;
}

const COMMENTS: Record<string, string[]> = {
  price_question: ['多少钱？', '这个课多少钱', '有优惠吗', 'how much is it?', 'price?', '价格是多少呀'],
  how_to_buy: ['怎么买', '链接在哪', '怎么报名', 'how do I buy?', 'where is the link', '在哪里下单'],
  course_content: ['课程讲什么内容', '适合零基础吗', '有几节课', 'is it for beginners?', 'what does the syllabus cover', '有实战项目吗'],
  complaint: ['太贵了', '讲得太慢了', '听不清', 'too expensive', 'this is boring', '卡顿了'],
  praise: ['讲得真好', '老师厉害', '学到了', 'great explanation', 'love this', '干货满满'],
  other: ['来了', '哈哈哈', '打卡', 'hello from Shanghai', 'first time here', '666'],
};
const INTENT_WEIGHTS = [0.18, 0.12, 0.15, 0.08, 0.2, 0.27];
const INTENTS = Object.keys(COMMENTS);
const SPAM = ['加微信 vx123 领资料 http://spam.example', '扫码领取 http://qr.example/abc', '免费课程 www.free-course.example'];

export interface SimStats {
  events: number;
  byType: Record<string, number>;
  botEvents: number;
  paidRevenueFen: number;
  refundedFen: number;
  costFen: number;
}

export function* generateDays(world: World, opts: DayOptions, stats: SimStats): Generator<SimEvent> {
  const rng: Rng = mulberry32(opts.seed ^ 0x5eed);
  let n = 0;
  const ev = (e: Omit<SimEvent, 'eventId' | 'tenantId' | 'source'> & { source?: string }): SimEvent => {
    n++;
    stats.events++;
    stats.byType[e.type] = (stats.byType[e.type] ?? 0) + 1;
    return { eventId: `sim-${opts.seed}-${n}`, tenantId: opts.tenantId, source: e.source ?? 'generic', ...e };
  };
  const start0 = Date.parse(`${opts.startDate}T00:00:00Z`);

  // streamer profiles
  for (const s of world.streamers) {
    yield ev({
      type: 'streamer.profile.upserted',
      occurredAt: new Date(start0).toISOString(),
      streamerId: s.id,
      payload: { name: s.name, categories: [s.category], followers: s.followers, priceBand: s.priceBand },
    });
  }

  for (let day = 0; day < opts.days; day++) {
    const dayStart = start0 + day * 86_400_000;
    // ad spend per channel, varied by day, and the orders the true response curve yields
    for (const ch of world.channels) {
      const spend = Math.round(ch.dailySpendFen * (0.3 + rng() * 1.7));
      stats.costFen += spend;
      yield ev({ type: 'cost.ad_spend', occurredAt: new Date(dayStart + 3_600_000).toISOString(), payload: { channel: ch.name, amount: { amountMinor: spend, currency: 'CNY' }, impressions: Math.round(spend / 10) } });
      let target = ch.a * Math.log(1 + spend / ch.b);
      while (target > 0) {
        const course = pick(rng, world.courses);
        const user = pick(rng, world.users);
        const at = dayStart + 3_600_000 + Math.floor(rng() * 80_000_000);
        const orderId = `o-ad-${day}-${ch.name}-${n}`;
        yield ev({ type: 'course.viewed', occurredAt: new Date(at - 60_000).toISOString(), userId: user.id, courseId: course.id, payload: { category: course.category, topics: viewedTopics(user.id, course.topics), durationSec: Math.round(30 + rng() * 300) } });
        yield ev({ type: 'order.paid', occurredAt: new Date(at).toISOString(), userId: user.id, courseId: course.id, payload: { orderId, amount: { amountMinor: course.priceFen, currency: 'CNY' }, channel: ch.name, category: course.category, refundWindowDays: course.refundWindowDays } });
        stats.paidRevenueFen += course.priceFen;
        target -= course.priceFen;
      }
    }

    for (let si = 0; si < opts.sessionsPerDay; si++) {
      // a session's events are generated viewer by viewer, then sent in event-time order
      const buf = [...(function* (): Generator<SimEvent> {
      const streamer = world.streamers[(day * opts.sessionsPerDay + si) % world.streamers.length];
      const courses = world.courses.filter((c) => c.category === streamer.category);
      const course = courses.length ? pick(rng, courses) : pick(rng, world.courses);
      const sessionId = `ls-${day + 1}-${si + 1}`;
      const t0 = dayStart + (18 + (si % 4)) * 3_600_000;
      const durationSec = 3600;
      const strategy = pick(rng, Object.keys(world.strategyEffects));
      const uplift = world.strategyEffects[strategy];
      const catIdx = COURSE_CATEGORIES.indexOf(streamer.category);
      const base = { streamerId: streamer.id, liveSessionId: sessionId, courseId: course.id };
      yield ev({ type: 'live.session.started', occurredAt: new Date(t0).toISOString(), ...base, payload: { title: `${streamer.name} · ${course.category}`, category: course.category, courseIds: [course.id] } });
      const fee = 100_000 + Math.round(streamer.followers / 2);
      stats.costFen += fee;
      yield ev({ type: 'cost.streamer_fee', occurredAt: new Date(t0).toISOString(), ...base, payload: { amount: { amountMinor: fee, currency: 'CNY' } } });
      yield ev({ type: 'cost.commission', occurredAt: new Date(t0).toISOString(), ...base, payload: { rate: 0.2 } });

      const weights = world.users.map((u) => u.activity * (0.05 + u.interests[catIdx]) * (u.isBot ? 0.3 : 1));
      const seen = new Set<string>();
      let peak = 0;
      for (let v = 0; v < opts.viewersPerSession; v++) {
        const user = world.users[sampleWeighted(rng, weights)];
        if (seen.has(user.id)) continue;
        seen.add(user.id);
        peak++;
        const enter = t0 + Math.floor(rng() * durationSec * 0.8) * 1000;
        const interest = user.interests[catIdx];
        const watch = Math.min(durationSec - (enter - t0) / 1000, Math.round(60 + rng() * 1800 * (0.3 + interest)));
        const u = { ...base, userId: user.id };
        const at = (offsetSec: number) => new Date(enter + Math.floor(offsetSec * 1000)).toISOString();
        yield ev({ type: 'live.room.entered', occurredAt: at(0), ...u, payload: { referrer: pick(rng, ['feed', 'follow', 'search', 'ad']) } });
        if (user.isBot) {
          stats.botEvents += 30;
          const spam = pick(rng, SPAM);
          for (let k = 0; k < 15; k++) yield ev({ type: 'live.comment.posted', occurredAt: at(1 + k * 0.5), ...u, payload: { text: spam } });
          for (let k = 0; k < 15; k++) yield ev({ type: 'live.like', occurredAt: at(1 + k * 0.2), ...u, payload: { count: 50 } });
          yield ev({ type: 'live.room.left', occurredAt: at(10), ...u, payload: { watchSec: 10 } });
          continue;
        }
        const comments = Math.floor(rng() * 4 * (0.5 + interest));
        for (let k = 0; k < comments; k++) {
          const intent = INTENTS[sampleWeighted(rng, INTENT_WEIGHTS)];
          yield ev({ type: 'live.comment.posted', occurredAt: at(rng() * watch), ...u, payload: { text: pick(rng, COMMENTS[intent]), lang: 'zh' } });
        }
        if (rng() < 0.5) yield ev({ type: 'live.like', occurredAt: at(rng() * watch), ...u, payload: { count: 1 + Math.floor(rng() * 10) } });
        if (rng() < 0.05) yield ev({ type: 'live.shared', occurredAt: at(rng() * watch), ...u, payload: { channel: 'wechat' } });
        if (rng() < 0.1 * interest) yield ev({ type: 'streamer.followed', occurredAt: at(rng() * watch), ...u, payload: {} });
        if (rng() < 0.02) yield ev({ type: 'live.gift.sent', occurredAt: at(rng() * watch), ...u, payload: { giftId: 'rose', value: { amountMinor: 100, currency: 'CNY' } } });
        const clickP = Math.min(0.9, 0.1 + interest * 0.8);
        if (rng() < clickP) {
          yield ev({ type: 'live.product.clicked', occurredAt: at(watch * 0.6), ...u, payload: { position: 1 } });
          const buyP = Math.min(0.95, 0.08 * streamer.skill * (0.3 + interest * 2) * (1 - 0.5 * user.priceSensitivity * (course.priceFen / 99900)) * uplift);
          if (rng() < buyP) {
            const orderId = `o-${sessionId}-${user.id}`;
            const coupon = strategy === 'coupon' ? 2000 : 0;
            const paid = course.priceFen - coupon;
            yield ev({ type: 'order.created', occurredAt: at(watch * 0.7), ...u, payload: { orderId, price: { amountMinor: course.priceFen, currency: 'CNY' }, ...(coupon ? { discount: { amountMinor: coupon, currency: 'CNY' }, couponId: 'live-coupon' } : {}) } });
            yield ev({ type: 'order.paid', occurredAt: at(watch * 0.72), ...u, payload: { orderId, amount: { amountMinor: paid, currency: 'CNY' }, ...(coupon ? { discount: { amountMinor: coupon, currency: 'CNY' } } : {}), category: course.category, refundWindowDays: course.refundWindowDays } });
            stats.paidRevenueFen += paid;
            if (rng() < 0.06) {
              yield ev({ type: 'order.refunded', occurredAt: new Date(enter + watch * 1000 + 2 * 3_600_000).toISOString(), ...u, payload: { orderId, amount: { amountMinor: paid, currency: 'CNY' }, reason: '不合适' } });
              stats.refundedFen += paid;
            }
          }
        }
        yield ev({ type: 'live.room.left', occurredAt: at(watch), ...u, payload: { watchSec: watch } });
      }
      yield ev({ type: 'live.session.ended', occurredAt: new Date(t0 + durationSec * 1000).toISOString(), ...base, payload: { peakViewers: peak, durationSec } });
      })()];
      buf.sort((x, y) => x.occurredAt.localeCompare(y.occurredAt));
      yield* buf;
    }
  }
}

/** The course topics a user looks at: a stable half of them per user (a hash, so the random stream is untouched). */
function viewedTopics(userId: string, topics: readonly string[]): string[] {
  let h = 2166136261;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 16777619) >>> 0;
  const picked = topics.filter((_, j) => (h >>> j) & 1);
  return picked.length ? picked : [topics[h % topics.length]];
}
