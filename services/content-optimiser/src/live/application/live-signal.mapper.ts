import { CanonicalEvent } from '@livepromo/contracts';
import { LiveSignal } from '../domain/live-window';

/** Event types that feed live windows (all must carry liveSessionId). */
export const LIVE_EVENT_TYPES = new Set<string>([
  'live.room.entered',
  'live.room.left',
  'live.comment.posted',
  'live.like',
  'live.gift.sent',
  'live.shared',
  'streamer.followed',
  'live.product.clicked',
  'live.coupon.claimed',
  'live.lottery.joined',
  'order.paid',
  'comment.classified',
  'live.session.started',
  'live.session.ended',
]);

/** The window signal of an event (null for session start/end, which only change session state). */
export function toSignal(e: CanonicalEvent, newViewer: boolean): LiveSignal | null {
  switch (e.type) {
    case 'live.room.entered':
      return { kind: 'entered', newViewer };
    case 'live.room.left':
      return { kind: 'left', watchSec: e.payload.watchSec };
    case 'live.comment.posted':
      return { kind: 'comment' };
    case 'live.like':
      return { kind: 'like', count: e.payload.count };
    case 'live.gift.sent':
      return { kind: 'gift', valueMinor: e.payload.value.amountMinor };
    case 'live.shared':
      return { kind: 'share' };
    case 'streamer.followed':
      return { kind: 'follow' };
    case 'live.product.clicked':
      return { kind: 'click' };
    case 'live.coupon.claimed':
      return { kind: 'coupon' };
    case 'live.lottery.joined':
      return { kind: 'lottery' };
    case 'order.paid':
      return { kind: 'order', amountMinor: e.payload.amount.amountMinor };
    case 'comment.classified':
      return { kind: 'classified', intent: e.payload.intent, sentiment: e.payload.sentiment, sentimentScore: e.payload.sentimentScore };
    default:
      return null;
  }
}
