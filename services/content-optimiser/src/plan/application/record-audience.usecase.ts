import { Inject, Injectable } from '@nestjs/common';
import { CanonicalEvent } from '@livepromo/contracts';
import { AudienceRepository } from '../infrastructure/audience.repository';
import { AskedQuestion, audienceFacts, TopicView } from '../domain/audience-facts';

/** Keeps the content-plan tables: course views with topics and classified questions, idempotent by event id; erasure. */
@Injectable()
export class RecordAudienceUseCase {
  constructor(@Inject(AudienceRepository) private readonly repo: AudienceRepository) {}

  async execute(events: readonly CanonicalEvent[]): Promise<void> {
    const views: TopicView[] = [];
    const questions: AskedQuestion[] = [];
    for (const e of events) {
      const f = audienceFacts(e);
      if (f.view) views.push(f.view);
      if (f.question) questions.push(f.question);
    }
    await this.repo.apply(views, questions);
  }

  async eraseUser(tenantId: string, userId: string): Promise<void> {
    await this.repo.eraseUser(tenantId, userId);
  }
}
