import { bag, fromChinaLocal, numOf, PlatformSpec, strOf, yuan } from './platform-mapper';

/** Taobao (淘宝直播 / TOP messages): `{ topic, msg_id, pub_time 'YYYY-MM-DD HH:mm:ss' (China time), content }`. */
export const TAOBAO: PlatformSpec = {
  source: 'taobao',
  eventField: 'topic',
  occurredAt: (n) => fromChinaLocal(n.pub_time),
  messageId: (n) => n.msg_id,
  userId: (_n, c) => c.buyer_open_uid,
  streamerId: (_n, c) => c.anchor_id,
  liveSessionId: (_n, c) => c.live_id,
  content: (n) => bag(n.content),
  notes:
    'time `pub_time` (China time, +08:00); eventId `taobao:<msg_id>`; userId `content.buyer_open_uid`; streamerId `content.anchor_id`; liveSessionId `content.live_id`; courseId `content.num_iid`; amounts in yuan strings ("99.90") converted to fen exactly; `content` may be a JSON string.',
  events: {
    taobao_live_UserEnter: { type: 'live.room.entered', payload: () => ({}) },
    taobao_live_UserLeave: { type: 'live.room.left', payload: (c) => ({ watchSec: numOf(c.stay_seconds) }) },
    taobao_live_Comment: { type: 'live.comment.posted', payload: (c) => ({ text: strOf(c.comment) }) },
    taobao_live_Like: { type: 'live.like', payload: (c) => ({ count: numOf(c.like_count) }) },
    taobao_live_Follow: { type: 'streamer.followed', payload: () => ({}) },
    taobao_live_ItemClick: { type: 'live.product.clicked', payload: (c) => ({ position: numOf(c.item_index) }), courseId: (c) => c.num_iid },
    taobao_live_Start: { type: 'live.session.started', payload: (c) => ({ title: strOf(c.title) }) },
    taobao_live_End: { type: 'live.session.ended', payload: (c) => ({ peakViewers: numOf(c.max_online), durationSec: numOf(c.duration) }) },
    taobao_trade_TradeCreate: { type: 'order.created', payload: (c) => ({ orderId: strOf(c.tid), price: yuan(c.total_fee ?? c.payment) }), courseId: (c) => c.num_iid },
    taobao_trade_TradeBuyerPay: { type: 'order.paid', payload: (c) => ({ orderId: strOf(c.tid), amount: yuan(c.payment) }), courseId: (c) => c.num_iid },
    taobao_refund_RefundSuccess: {
      type: 'order.refunded',
      payload: (c) => ({ orderId: strOf(c.tid), amount: yuan(c.refund_fee), reason: strOf(c.reason) }),
      courseId: (c) => c.num_iid,
    },
  },
};
