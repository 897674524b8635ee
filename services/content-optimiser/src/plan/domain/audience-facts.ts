import { CanonicalEvent } from '@livepromo/contracts';
import { normaliseQuestion, QUESTION_INTENTS } from './content-plan';

/** A course view with its topics, for interest by segment. */
export interface TopicView {
  tenantId: string;
  eventId: string;
  userId: string | null;
  courseId: string | null;
  category: string | null;
  topics: string[];
  atMs: number;
}

/** A classified audience question (price, how to buy, content), grouped into the plan's Q&A. */
export interface AskedQuestion {
  tenantId: string;
  eventId: string;
  commentEventId: string;
  userId: string | null;
  sessionId: string | null;
  intent: string;
  norm: string;
  text: string;
  atMs: number;
}

const QUESTION_SET = new Set<string>(QUESTION_INTENTS);

/** What the audience tables take from an event (null when nothing). */
export function audienceFacts(e: CanonicalEvent): { view?: TopicView; question?: AskedQuestion } {
  const atMs = Date.parse(e.occurredAt);
  if (e.type === 'course.viewed') {
    if (!e.courseId && !e.userId) return {};
    const topics = (e.payload.topics ?? []).map((t) => t.normalize('NFKC').trim().toLowerCase()).filter((t) => t.length > 0);
    return { view: { tenantId: e.tenantId, eventId: e.eventId, userId: e.userId ?? null, courseId: e.courseId ?? null, category: e.payload.category ?? null, topics, atMs } };
  }
  if (e.type === 'comment.classified' && QUESTION_SET.has(e.payload.intent)) {
    const norm = normaliseQuestion(e.payload.text);
    if (!norm) return {};
    return {
      question: {
        tenantId: e.tenantId,
        eventId: e.eventId,
        commentEventId: e.payload.commentEventId,
        userId: e.userId ?? null,
        sessionId: e.liveSessionId ?? null,
        intent: e.payload.intent,
        norm,
        text: e.payload.text.slice(0, 500),
        atMs,
      },
    };
  }
  return {};
}
