import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { buildContentPlan, ContentPlan, PLAN_HOW_COMPUTED } from '../domain/content-plan';
import { AudienceRepository } from '../infrastructure/audience.repository';
import type { ContentPlanBody } from '../http/content-plan.dto';
import { UNCATEGORISED } from '../../live/application/process-live-events.usecase';

/** Fewer past suggestions of the streamer than this: timing comes from the whole category. */
const MIN_STREAMER_SUGGESTIONS = 3;
/** Fewer distinct askers in the segment than this: questions come from the category's sessions. */
const MIN_SEGMENT_ASKERS = 3;

export interface ContentPlanResponse extends ContentPlan {
  courseId: string;
  streamerId: string | null;
  category: string;
  segment: { segmentId: string | null; users: number; knownUsers: number };
  sample: { courseTopics: number; courseViewers: number; banditPulls: number; triggerFirings: number; timingFrom: 'streamer' | 'category'; questionGroups: number };
  warnings: string[];
  howComputed: typeof PLAN_HOW_COMPUTED;
}

/** A content plan before the stream: agenda, interaction schedule, expected questions. */
@Injectable()
export class ContentPlanUseCase {
  constructor(@Inject(AudienceRepository) private readonly repo: AudienceRepository) {}

  async execute(tenantId: string, body: ContentPlanBody): Promise<ContentPlanResponse> {
    const course = await this.repo.course(tenantId, body.courseId);
    const known = course.topics.length > 0 || (await this.repo.courseKnown(tenantId, body.courseId));
    if (!known && !body.category) {
      throw new DomainError(
        ErrorCode.NotFound,
        `course ${body.courseId} is unknown to this tenant: no course.viewed event names it; send some, or give "category" to plan from the category alone`,
      );
    }
    const category = body.category ?? course.category ?? UNCATEGORISED;
    const userIds = body.segment.userIds ?? [];
    const seg = await this.repo.segmentTopics(tenantId, userIds, course.topics.map((t) => t.topic));
    const arms = await this.repo.arms(tenantId, category);

    let timingFrom: 'streamer' | 'category' = 'category';
    let minutes = await this.repo.triggerMinutes(tenantId, category, null);
    if (body.streamerId) {
      const own = await this.repo.triggerMinutes(tenantId, category, body.streamerId);
      if ([...own.values()].reduce((s, l) => s + l.length, 0) >= MIN_STREAMER_SUGGESTIONS) {
        minutes = own;
        timingFrom = 'streamer';
      }
    }

    let questionsFrom: ContentPlan['questionsFrom'] = 'segment';
    let questions = userIds.length ? await this.repo.questions(tenantId, { userIds }, body.questionLimit) : [];
    if (questions.reduce((s, q) => s + q.askedBy, 0) < MIN_SEGMENT_ASKERS) {
      questions = await this.repo.questions(tenantId, { category: category === UNCATEGORISED ? null : category, streamerId: null }, body.questionLimit);
      questionsFrom = questions.length ? 'category' : 'none';
    }

    const plan = buildContentPlan({
      durationMin: body.durationMin,
      courseTopics: course.topics,
      segmentKnownUsers: seg.known,
      segmentTopicUsers: seg.byTopic,
      interests: body.segment.interests ?? {},
      arms,
      triggerMinutes: minutes,
      questions,
      questionsFrom,
    });

    const warnings: string[] = [];
    if (course.topics.length === 0) warnings.push('no topics known for this course (course.viewed events carry none): the agenda is empty');
    if (userIds.length > 0 && seg.known === 0) warnings.push('none of the segment users has viewed a topic or asked a question: topic order falls back to the course viewers');
    if (arms.length === 0) warnings.push(`the bandit has no outcomes for category ${category} yet: every strategy is at its Beta(1,1) prior`);
    return {
      courseId: body.courseId,
      streamerId: body.streamerId ?? null,
      category,
      segment: { segmentId: body.segment.segmentId ?? null, users: userIds.length, knownUsers: seg.known },
      ...plan,
      sample: {
        courseTopics: course.topics.length,
        courseViewers: Math.max(0, ...course.topics.map((t) => t.users)),
        banditPulls: arms.reduce((s, a) => s + a.pulls, 0),
        triggerFirings: [...minutes.values()].reduce((s, l) => s + l.length, 0),
        timingFrom,
        questionGroups: questions.length,
      },
      warnings,
      howComputed: PLAN_HOW_COMPUTED,
    };
  }
}
