import { CanonicalEvent } from '@livepromo/contracts';

/** Builds canonical events of a scripted live session at event-time offsets (test and bench helper). */
export class LiveScript {
  private n = 0;
  constructor(
    readonly tenantId: string,
    readonly sessionId: string,
    readonly streamerId: string,
    readonly t0Ms: number,
  ) {}

  ev(type: CanonicalEvent['type'], atSec: number, payload: Record<string, unknown>, extra: Partial<CanonicalEvent> = {}): CanonicalEvent {
    this.n++;
    const at = new Date(this.t0Ms + Math.round(atSec * 1000)).toISOString();
    return {
      eventId: `${this.sessionId}-${type}-${this.n}`,
      tenantId: this.tenantId,
      type,
      source: 'generic',
      occurredAt: at,
      receivedAt: at,
      streamerId: this.streamerId,
      liveSessionId: this.sessionId,
      schemaVersion: 1,
      payload,
      ...extra,
    } as CanonicalEvent;
  }

  started(atSec: number, category = 'programming'): CanonicalEvent {
    return this.ev('live.session.started', atSec, { title: 'scripted', category, courseIds: ['course-1'] });
  }

  ended(atSec: number): CanonicalEvent {
    return this.ev('live.session.ended', atSec, {});
  }

  enters(count: number, fromSec: number, stepSec = 1, userPrefix = 'u'): CanonicalEvent[] {
    return Array.from({ length: count }, (_, i) => this.ev('live.room.entered', fromSec + i * stepSec, {}, { userId: `${userPrefix}${i}` }));
  }

  leaves(count: number, fromSec: number, watchSec: number, stepSec = 0.5, userPrefix = 'u'): CanonicalEvent[] {
    return Array.from({ length: count }, (_, i) => this.ev('live.room.left', fromSec + i * stepSec, { watchSec }, { userId: `${userPrefix}${i}` }));
  }

  comments(count: number, fromSec: number, stepSec = 0.5): CanonicalEvent[] {
    return Array.from({ length: count }, (_, i) => this.ev('live.comment.posted', fromSec + i * stepSec, { text: '好' }, { userId: `u${i % 20}` }));
  }

  likes(count: number, fromSec: number, stepSec = 0.5): CanonicalEvent[] {
    return Array.from({ length: count }, (_, i) => this.ev('live.like', fromSec + i * stepSec, { count: 1 }, { userId: `u${i % 20}` }));
  }

  classified(count: number, fromSec: number, intent: string, sentiment: 'positive' | 'neutral' | 'negative' = 'neutral', stepSec = 1): CanonicalEvent[] {
    return Array.from({ length: count }, (_, i) =>
      this.ev(
        'comment.classified',
        fromSec + i * stepSec,
        { commentEventId: `c-${this.n}`, text: '多少钱', intent, intentScore: 0.9, sentiment, sentimentScore: sentiment === 'negative' ? -0.8 : sentiment === 'positive' ? 0.8 : 0, model: 'scripted@1' },
        { userId: `u${i % 20}` },
      ),
    );
  }
}
