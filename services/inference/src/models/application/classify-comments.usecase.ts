import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventOf } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { CONFIG } from '@livepromo/service-kit';
import { InferenceConfig } from '../../inference.config';
import { argmax } from '@livepromo/ml';
import { sentimentFrom } from '../domain/comment-sentiment';
import { ModelServing } from './model-serving.service';

export type CommentEvent = EventOf<'live.comment.posted'>;
export type ClassifiedEvent = EventOf<'comment.classified'>;

/** Deterministic id of the classification of a comment: redelivery publishes the same eventId. */
export function classifiedEventId(commentEventId: string): string {
  const id = `cls-${commentEventId}`;
  return id.length <= 128 ? id : `cls-h-${createHash('sha256').update(commentEventId).digest('base64url').slice(0, 40)}`;
}

/** Classifies live comments (intent + sentiment, micro-batched) and publishes comment.classified. */
@Injectable()
export class ClassifyCommentsUseCase {
  constructor(
    @Inject(CONFIG) private readonly config: InferenceConfig,
    @Inject(ModelServing) private readonly serving: ModelServing,
    @Inject(MessageBus) private readonly bus: MessageBus,
  ) {}

  async classify(comments: readonly CommentEvent[]): Promise<ClassifiedEvent[]> {
    if (comments.length === 0) return [];
    const texts = comments.map((c) => c.payload.text);
    const [intent, sentiment] = await Promise.all([
      this.serving.classify(this.config.INTENT_MODEL, texts),
      this.serving.classify(this.config.SENTIMENT_MODEL, texts),
    ]);
    if (!intent || !sentiment) {
      throw new Error(`comment models not served: ${!intent ? this.config.INTENT_MODEL : ''} ${!sentiment ? this.config.SENTIMENT_MODEL : ''}`.trim());
    }
    const modelTag = `${intent.name}@${intent.version}+${sentiment.name}@${sentiment.version}`;
    return comments.map((c, i) => {
      const pi = intent.probabilities[i];
      const best = argmax(pi);
      const s = sentimentFrom(sentiment.probabilities[i], sentiment.manifest.labels, sentiment.manifest.labelMap);
      return {
        eventId: classifiedEventId(c.eventId),
        tenantId: c.tenantId,
        type: 'comment.classified',
        source: c.source,
        occurredAt: c.occurredAt,
        receivedAt: c.receivedAt,
        userId: c.userId,
        streamerId: c.streamerId,
        liveSessionId: c.liveSessionId,
        courseId: c.courseId,
        schemaVersion: 1,
        payload: {
          commentEventId: c.eventId,
          text: c.payload.text,
          intent: intent.manifest.labels[best],
          intentScore: Math.min(1, Math.max(0, Math.round(pi[best] * 1e6) / 1e6)),
          sentiment: s.sentiment,
          sentimentScore: Math.round(s.score * 1e6) / 1e6,
          model: modelTag.slice(0, 128),
        },
      } satisfies ClassifiedEvent;
    });
  }

  /** Classifies and publishes; resolves once Kafka acknowledged every event. */
  async execute(comments: readonly CommentEvent[]): Promise<number> {
    const out = await this.classify(comments);
    if (out.length) await this.bus.publish('comments.classified.v1', out);
    return out.length;
  }
}
