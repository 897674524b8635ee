import { Trigger } from './detectors';

export const STRATEGIES = [
  'answer_top_questions',
  'qa_session',
  'lottery',
  'coupon',
  'limited_time_price',
  'course_demo',
  'syllabus_walkthrough',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Which strategies are candidates for each trigger (the bandit learns which one works). */
export const CANDIDATES: Record<Trigger, readonly Strategy[]> = {
  engagement_drop: ['lottery', 'qa_session', 'course_demo', 'coupon'],
  price_question_surge: ['answer_top_questions', 'limited_time_price', 'coupon', 'qa_session'],
  how_to_buy_surge: ['answer_top_questions', 'coupon', 'qa_session'],
  negative_sentiment_spike: ['answer_top_questions', 'qa_session', 'syllabus_walkthrough'],
  clicks_without_orders: ['coupon', 'limited_time_price', 'course_demo', 'syllabus_walkthrough'],
  viewer_exodus: ['lottery', 'course_demo', 'qa_session', 'coupon'],
};

export const STRATEGY_ACTION: Record<Strategy, string> = {
  answer_top_questions: 'answer the most asked questions on air now',
  qa_session: 'open a short Q&A round',
  lottery: 'launch a lottery to keep viewers in the room',
  coupon: 'push a coupon',
  limited_time_price: 'announce a limited-time price',
  course_demo: 'show a live demo from the course',
  syllabus_walkthrough: 'walk through the syllabus and what learners will be able to do',
};
