import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConsumedMessage, MessageBus } from '@livepromo/messaging';
import { JsonLogger } from '@livepromo/observability';
import { TopicMessage } from '@livepromo/contracts';
import { ClassifyCommentsUseCase, CommentEvent } from '../application/classify-comments.usecase';

/** events.clean.v1 live.comment.posted → classify → comments.classified.v1 (deterministic eventIds, so redelivery is idempotent). */
@Injectable()
export class LiveCommentConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ClassifyCommentsUseCase) private readonly classify: ClassifyCommentsUseCase,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      topic: 'events.clean.v1',
      groupId: 'inference.comments',
      handler: async (messages: ConsumedMessage<TopicMessage<'events.clean.v1'>>[]) => {
        const comments = messages.map((m) => m.value).filter((e): e is CommentEvent => e.type === 'live.comment.posted');
        if (comments.length === 0) return;
        const n = await this.classify.execute(comments);
        this.log.debug('classified live comments', { count: n });
      },
    });
  }
}
