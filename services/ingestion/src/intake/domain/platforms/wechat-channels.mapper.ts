import { bag, fen, fromUnixSec, numOf, PlatformSpec, strOf } from './platform-mapper';

/** WeChat Channels (视频号) push, XML converted to JSON: `{ Event, MsgId, CreateTime, FromUserName, live_id, finder_id, ... }`. */
export const WECHAT_CHANNELS: PlatformSpec = {
  source: 'wechat-channels',
  eventField: 'Event',
  occurredAt: (n) => fromUnixSec(n.CreateTime),
  messageId: (n) => n.MsgId,
  userId: (n) => n.FromUserName,
  streamerId: (n) => n.finder_id,
  liveSessionId: (n) => n.live_id,
  // live fields sit on the message itself; e-commerce ones under order_info / product_info
  content: (n) => ({ ...n, ...bag(n.product_info), ...bag(n.order_info) }),
  notes:
    'time `CreateTime` (unix s); eventId `wechat-channels:<MsgId>`; userId `FromUserName` (openid); streamerId `finder_id`; liveSessionId `live_id`; order fields under `order_info`, product fields under `product_info`; amounts in fen.',
  events: {
    channels_live_enter: { type: 'live.room.entered', payload: (c) => ({ referrer: strOf(c.scene) }) },
    channels_live_leave: { type: 'live.room.left', payload: (c) => ({ watchSec: numOf(c.stay_seconds) }) },
    channels_live_comment: { type: 'live.comment.posted', payload: (c) => ({ text: strOf(c.content) }) },
    channels_live_like: { type: 'live.like', payload: (c) => ({ count: numOf(c.like_cnt) }) },
    channels_live_gift: { type: 'live.gift.sent', payload: (c) => ({ giftId: strOf(c.gift_id), value: fen(c.gift_value_fen) }) },
    channels_live_share: { type: 'live.shared', payload: (c) => ({ channel: strOf(c.share_scene) }) },
    channels_finder_follow: { type: 'streamer.followed', payload: () => ({}) },
    channels_ec_product_click: { type: 'live.product.clicked', payload: (c) => ({ position: numOf(c.position) }), courseId: (c) => c.product_id },
    channels_live_start: { type: 'live.session.started', payload: (c) => ({ title: strOf(c.title) }) },
    channels_live_end: { type: 'live.session.ended', payload: (c) => ({ peakViewers: numOf(c.max_online), durationSec: numOf(c.duration) }) },
    channels_ec_order_new: { type: 'order.created', payload: (c) => ({ orderId: strOf(c.order_id), price: fen(c.order_price_fen) }), courseId: (c) => c.product_id },
    channels_ec_order_pay: { type: 'order.paid', payload: (c) => ({ orderId: strOf(c.order_id), amount: fen(c.pay_amount_fen) }), courseId: (c) => c.product_id },
    channels_ec_aftersale_refund: {
      type: 'order.refunded',
      payload: (c) => ({ orderId: strOf(c.order_id), amount: fen(c.refund_amount_fen), reason: strOf(c.reason) }),
      courseId: (c) => c.product_id,
    },
  },
};
