import { bag, fen, fromUnixMs, numOf, PlatformSpec, strOf } from './platform-mapper';

/** Kuaishou (快手) push: `{ eventType, eventId, timestamp (ms), data: { userId, liveStreamId, authorId, ... } }`. */
export const KUAISHOU: PlatformSpec = {
  source: 'kuaishou',
  eventField: 'eventType',
  occurredAt: (n) => fromUnixMs(n.timestamp),
  messageId: (n) => n.eventId,
  userId: (_n, c) => c.userId,
  streamerId: (_n, c) => c.authorId,
  liveSessionId: (_n, c) => c.liveStreamId,
  content: (n) => bag(n.data),
  notes:
    'time `timestamp` (unix ms); eventId `kuaishou:<eventId>`; userId `data.userId`; streamerId `data.authorId`; liveSessionId `data.liveStreamId`; amounts in fen (`*Fen` fields).',
  events: {
    LIVE_ENTER: { type: 'live.room.entered', payload: (c) => ({ referrer: strOf(c.source) }) },
    LIVE_LEAVE: { type: 'live.room.left', payload: (c) => ({ watchSec: numOf(c.stayDuration) }) },
    LIVE_COMMENT: { type: 'live.comment.posted', payload: (c) => ({ text: strOf(c.content) }) },
    LIVE_LIKE: { type: 'live.like', payload: (c) => ({ count: numOf(c.likeCount) }) },
    LIVE_GIFT: { type: 'live.gift.sent', payload: (c) => ({ giftId: strOf(c.giftId), value: fen(c.giftValueFen) }) },
    LIVE_SHARE: { type: 'live.shared', payload: (c) => ({ channel: strOf(c.shareChannel) }) },
    LIVE_FOLLOW: { type: 'streamer.followed', payload: () => ({}) },
    ITEM_CLICK: { type: 'live.product.clicked', payload: (c) => ({ position: numOf(c.position) }), courseId: (c) => c.itemId },
    COUPON_CLAIM: { type: 'live.coupon.claimed', payload: (c) => ({ couponId: strOf(c.couponId), value: fen(c.couponValueFen) }) },
    LOTTERY_JOIN: { type: 'live.lottery.joined', payload: (c) => ({ lotteryId: strOf(c.lotteryId) }) },
    LIVE_START: { type: 'live.session.started', payload: (c) => ({ title: strOf(c.title) }) },
    LIVE_END: { type: 'live.session.ended', payload: (c) => ({ peakViewers: numOf(c.peakOnline), durationSec: numOf(c.durationSec) }) },
    ORDER_CREATE: { type: 'order.created', payload: (c) => ({ orderId: strOf(c.orderId), price: fen(c.orderAmountFen) }), courseId: (c) => c.itemId },
    ORDER_PAY: { type: 'order.paid', payload: (c) => ({ orderId: strOf(c.orderId), amount: fen(c.payAmountFen) }), courseId: (c) => c.itemId },
    ORDER_REFUND: {
      type: 'order.refunded',
      payload: (c) => ({ orderId: strOf(c.orderId), amount: fen(c.refundAmountFen), reason: strOf(c.reason) }),
      courseId: (c) => c.itemId,
    },
  },
};
