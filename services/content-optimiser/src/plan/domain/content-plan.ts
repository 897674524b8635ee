import { CANDIDATES, Strategy, STRATEGY_ACTION } from '../../live/domain/strategies';
import { Trigger, TRIGGERS } from '../../live/domain/detectors';

/** What the plan is computed from (all counts come from this service's own tables). */
export interface PlanInput {
  durationMin: number;
  /** The course's topics: how many distinct users viewed the course with each topic (tenant-wide). */
  courseTopics: { topic: string; users: number }[];
  /** Users of the target segment we know anything about (viewed a topic or asked a question). */
  segmentKnownUsers: number;
  /** Per topic: distinct segment users who viewed it (any course). */
  segmentTopicUsers: Map<string, number>;
  /** Optional interest weights by category (0..1), e.g. from the user-profile segment. */
  interests: Record<string, number>;
  /** Bandit posteriors of the course's category (one row per trigger × strategy). */
  arms: { trigger: string; strategy: string; alpha: number; beta: number; pulls: number }[];
  /** When each trigger fired in past sessions of the category: minutes since session start. */
  triggerMinutes: Map<string, number[]>;
  /** Questions asked (intent = price_question | how_to_buy | course_content …), grouped by normalised text. */
  questions: { text: string; intent: string; askedBy: number; times: number }[];
  /** Who the questions come from: 'segment' when segment users asked them, else the category's sessions. */
  questionsFrom: 'segment' | 'category' | 'none';
}

export interface AgendaItem {
  order: number;
  topic: string;
  startMin: number;
  durationMin: number;
  /** Smoothed share of the segment interested in the topic (see howComputed.agenda). */
  interest: number;
  evidence: { segmentUsers: number; segmentKnownUsers: number; courseViewers: number; categoryWeight: number };
}

export interface ScheduledInteraction {
  atMin: number;
  trigger: Trigger | 'closing';
  strategy: Strategy;
  action: string;
  /** Posterior mean of the chosen arm (success rate of the strategy for this trigger). */
  expectedSuccess: number;
  /** 90 % credible interval (normal approximation of the Beta posterior). */
  interval: [number, number];
  pulls: number;
  timing: { source: 'history' | 'default'; firedInSessions: number; medianMin: number | null };
  why: string;
}

export interface ContentPlan {
  durationMin: number;
  agenda: AgendaItem[];
  interactions: ScheduledInteraction[];
  questions: { text: string; intent: string; askedBy: number; times: number }[];
  questionsFrom: PlanInput['questionsFrom'];
}

/** Fixed parts of the running order (minutes). */
export const PLAN_SHAPE = { openingMin: 5, offerMin: 10, minTopicMin: 5, smoothingUsers: 5, leadMin: 2 } as const;

/** When a trigger has no history, where in the session a proactive interaction goes (fraction of the duration). */
const DEFAULT_POSITION: Record<Trigger, number> = {
  engagement_drop: 0.35,
  viewer_exodus: 0.6,
  negative_sentiment_spike: 0.5,
  price_question_surge: 0.75,
  how_to_buy_surge: 0.85,
  clicks_without_orders: 0.9,
};

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Beta(α, β) posterior mean and a 90 % interval by the normal approximation, clipped to [0, 1]. */
export function betaSummary(alpha: number, beta: number): { mean: number; interval: [number, number] } {
  const n = alpha + beta;
  const mean = alpha / n;
  const sd = Math.sqrt((alpha * beta) / (n * n * (n + 1)));
  return { mean, interval: [Math.max(0, mean - 1.645 * sd), Math.min(1, mean + 1.645 * sd)] };
}

/** The category of a `category/topic` string (topics without a prefix have none). */
const topicCategory = (topic: string): string | null => (topic.includes('/') ? topic.slice(0, topic.indexOf('/')) : null);

/**
 * The plan (pure): agenda ordered by the segment's smoothed interest, an interaction schedule from the bandit's
 * posteriors placed ahead of when each trigger tends to fire, and the questions this audience asks.
 */
export function buildContentPlan(p: PlanInput): ContentPlan {
  const k = PLAN_SHAPE.smoothingUsers;
  const totalCourseUsers = Math.max(1, ...p.courseTopics.map((t) => t.users));
  const scored = p.courseTopics.map((t) => {
    const prior = t.users / totalCourseUsers; // how popular the topic is among the course's viewers
    const seg = p.segmentTopicUsers.get(t.topic) ?? 0;
    const smoothed = (seg + k * prior) / (p.segmentKnownUsers + k);
    const cat = topicCategory(t.topic);
    const categoryWeight = cat && p.interests[cat] !== undefined ? p.interests[cat] : 1;
    return { topic: t.topic, interest: smoothed * categoryWeight, seg, courseViewers: t.users, categoryWeight };
  });
  scored.sort((a, b) => b.interest - a.interest || b.courseViewers - a.courseViewers || (a.topic < b.topic ? -1 : 1));

  // time: opening, topics in proportion to interest (at least minTopicMin each), offer at the end
  const body = Math.max(0, p.durationMin - PLAN_SHAPE.openingMin - PLAN_SHAPE.offerMin);
  const fit = scored.slice(0, Math.max(1, Math.floor(body / PLAN_SHAPE.minTopicMin)));
  const mass = fit.reduce((s, t) => s + t.interest, 0);
  const agenda: AgendaItem[] = [];
  let at = PLAN_SHAPE.openingMin;
  const spare = body - fit.length * PLAN_SHAPE.minTopicMin;
  fit.forEach((t, i) => {
    const extra = mass > 0 ? (t.interest / mass) * spare : spare / fit.length;
    const len = i === fit.length - 1 ? PLAN_SHAPE.openingMin + body - at : Math.round(PLAN_SHAPE.minTopicMin + extra);
    agenda.push({
      order: i + 1,
      topic: t.topic,
      startMin: at,
      durationMin: len,
      interest: round(t.interest, 4),
      evidence: { segmentUsers: t.seg, segmentKnownUsers: p.segmentKnownUsers, courseViewers: t.courseViewers, categoryWeight: t.categoryWeight },
    });
    at += len;
  });

  // interactions: per trigger, the arm with the highest posterior mean (prior Beta(1,1) for arms never tried)
  const interactions: ScheduledInteraction[] = [];
  for (const trigger of TRIGGERS) {
    const candidates = CANDIDATES[trigger].map((strategy) => {
      const a = p.arms.find((x) => x.trigger === trigger && x.strategy === strategy);
      return { strategy, alpha: a?.alpha ?? 1, beta: a?.beta ?? 1, pulls: a?.pulls ?? 0 };
    });
    const best = candidates
      .map((c) => ({ ...c, ...betaSummary(c.alpha, c.beta) }))
      .sort((x, y) => y.mean - x.mean || y.pulls - x.pulls || (x.strategy < y.strategy ? -1 : 1))[0];
    const fired = p.triggerMinutes.get(trigger) ?? [];
    const med = median(fired);
    const atMin =
      med !== null
        ? Math.max(PLAN_SHAPE.openingMin, Math.min(p.durationMin - 1, Math.round(med - PLAN_SHAPE.leadMin)))
        : Math.round(DEFAULT_POSITION[trigger] * p.durationMin);
    interactions.push({
      atMin,
      trigger,
      strategy: best.strategy,
      action: STRATEGY_ACTION[best.strategy],
      expectedSuccess: round(best.mean),
      interval: [round(best.interval[0]), round(best.interval[1])],
      pulls: best.pulls,
      timing: { source: med !== null ? 'history' : 'default', firedInSessions: fired.length, medianMin: med },
      why:
        med !== null
          ? `${trigger} fired ${fired.length}× in past sessions of this category, median minute ${round(med, 1)}: act ${PLAN_SHAPE.leadMin} min before`
          : `${trigger} has no history in this category: placed at ${Math.round(DEFAULT_POSITION[trigger] * 100)} % of the session`,
    });
  }
  interactions.sort((a, b) => a.atMin - b.atMin || (a.trigger < b.trigger ? -1 : 1));

  return { durationMin: p.durationMin, agenda, interactions, questions: p.questions, questionsFrom: p.questionsFrom };
}

export const PLAN_HOW_COMPUTED = {
  agenda:
    'topics = the course\'s topics from course.viewed events (payload.topics with this courseId). interest(topic) = ' +
    `(segment users who viewed the topic + ${PLAN_SHAPE.smoothingUsers} · share of the course's viewers who viewed it) / ` +
    `(segment users we know + ${PLAN_SHAPE.smoothingUsers}) × interests[category of the topic] (1 when not given); sorted by interest. ` +
    `Running order: ${PLAN_SHAPE.openingMin} min opening, topics get ${PLAN_SHAPE.minTopicMin} min each plus the spare time in proportion to interest, ` +
    `${PLAN_SHAPE.offerMin} min offer at the end; topics that do not fit at ${PLAN_SHAPE.minTopicMin} min are left out.`,
  interactions:
    'per trigger, the candidate strategy with the highest posterior mean α/(α+β) of the bandit arm (tenant × course category × trigger; ' +
    'Beta(1,1) for arms never tried), 90 % interval = mean ± 1.645·sd of the Beta. Placed ' +
    `${PLAN_SHAPE.leadMin} min before the median minute (since session start) at which the trigger fired in past sessions of the category; ` +
    'without history at a fixed share of the session (engagement_drop 35 %, negative_sentiment_spike 50 %, viewer_exodus 60 %, price_question_surge 75 %, how_to_buy_surge 85 %, clicks_without_orders 90 %).',
  questions:
    'comments classified as price_question, how_to_buy or course_content, grouped by normalised text (NFKC, lower case, punctuation and spaces removed), ' +
    'ranked by distinct askers; from the segment\'s users when they asked at least 3, else from sessions of the course\'s category.',
} as const;

/** Intents whose comments are questions worth preparing answers for. */
export const QUESTION_INTENTS = ['price_question', 'how_to_buy', 'course_content'] as const;

/** Grouping key of a question: NFKC, lower case, without punctuation, symbols or spaces. */
export function normaliseQuestion(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '').slice(0, 200);
}
