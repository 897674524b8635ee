import { bag, fen, fromUnixSec, numOf, PlatformSpec, strOf } from './platform-mapper';

/** Douyin (抖音) open-platform push: `{ event, msg_id, create_time, open_id, room_id, anchor_open_id, content }`. */
export const DOUYIN: PlatformSpec = {
  source: 'douyin',
  eventField: 'event',
  occurredAt: (n) => fromUnixSec(n.create_time),
  messageId: (n) => n.msg_id,
  userId: (n) => n.open_id,
  streamerId: (n) => n.anchor_open_id,
  liveSessionId: (n) => n.room_id,
  content: (n) => bag(n.content),
  notes:
    'time `create_time` (unix s); eventId `douyin:<msg_id>`; userId `open_id`; streamerId `anchor_open_id`; liveSessionId `room_id`; event-specific fields in `content` (object or JSON string); amounts in fen.',
  events: {
    live_enter: { type: 'live.room.entered', payload: (c) => ({ referrer: strOf(c.enter_source) }) },
    live_leave: { type: 'live.room.left', payload: (c) => ({ watchSec: numOf(c.watch_duration) }) },
    live_comment: { type: 'live.comment.posted', payload: (c) => ({ text: strOf(c.comment) }) },
    live_like: { type: 'live.like', payload: (c) => ({ count: numOf(c.like_count) }) },
    live_gift: { type: 'live.gift.sent', payload: (c) => ({ giftId: strOf(c.gift_id), value: fen(c.gift_value) }) },
    live_share: { type: 'live.shared', payload: (c) => ({ channel: strOf(c.share_channel) }) },
    live_follow: { type: 'streamer.followed', payload: () => ({}) },
    product_click: { type: 'live.product.clicked', payload: (c) => ({ position: numOf(c.product_index) }), courseId: (c) => c.product_id },
    coupon_receive: { type: 'live.coupon.claimed', payload: (c) => ({ couponId: strOf(c.coupon_id), value: fen(c.coupon_amount) }) },
    lottery_join: { type: 'live.lottery.joined', payload: (c) => ({ lotteryId: strOf(c.lottery_id) }) },
    live_start: { type: 'live.session.started', payload: (c) => ({ title: strOf(c.title) }) },
    live_end: { type: 'live.session.ended', payload: (c) => ({ peakViewers: numOf(c.max_online), durationSec: numOf(c.duration) }) },
    trade_order_create: {
      type: 'order.created',
      payload: (c) => ({ orderId: strOf(c.order_id), price: fen(c.total_amount), couponId: strOf(c.coupon_id) }),
      courseId: (c) => c.product_id,
    },
    trade_order_paid: { type: 'order.paid', payload: (c) => ({ orderId: strOf(c.order_id), amount: fen(c.pay_amount) }), courseId: (c) => c.product_id },
    trade_order_refund: {
      type: 'order.refunded',
      payload: (c) => ({ orderId: strOf(c.order_id), amount: fen(c.refund_amount), reason: strOf(c.refund_reason) }),
      courseId: (c) => c.product_id,
    },
  },
};
