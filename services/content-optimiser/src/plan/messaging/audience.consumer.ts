import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { AskedQuestion, AudienceRepository, TopicView } from '../infrastructure/audience.repository';
import { normaliseQuestion, QUESTION_INTENTS } from '../domain/content-plan';

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

/**
 * Feeds the content-plan tables: course views with topics (events.clean.v1) and classified questions
 * (comments.classified.v1), in their own consumer groups so the live pipeline is not slowed; honours erasure.
 */
@Injectable()
export class AudienceConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(AudienceRepository) private readonly repo: AudienceRepository,
  ) {}

  private async handle(events: readonly CanonicalEvent[]): Promise<void> {
    const views: TopicView[] = [];
    const questions: AskedQuestion[] = [];
    for (const e of events) {
      const f = audienceFacts(e);
      if (f.view) views.push(f.view);
      if (f.question) questions.push(f.question);
    }
    await this.repo.apply(views, questions);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'content-optimiser.audience-topics',
      handler: (batch) => this.handle(batch.map((m) => m.value)),
    });
    await this.bus.subscribe({
      topic: 'comments.classified.v1',
      groupId: 'content-optimiser.audience-questions',
      handler: (batch) => this.handle(batch.map((m) => m.value as CanonicalEvent)),
    });
    await this.bus.subscribe({
      topic: 'privacy.erasure.v1',
      groupId: 'content-optimiser.audience-erasure',
      handler: async (batch) => {
        for (const m of batch) if (m.value.userId) await this.repo.eraseUser(m.value.tenantId, m.value.userId);
      },
    });
  }
}
