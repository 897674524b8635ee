import { validateCanonicalEvent } from '@livepromo/contracts';
import { fromChinaLocal, yuan } from './platform-mapper';
import { describePlatformMappings, mapPlatformNotification, WebhookPlatform } from './platform-registry';

/** Maps and completes the envelope as normaliseEnvelope would, then checks it against the canonical schema. */
function canonical(platform: WebhookPlatform, n: unknown) {
  const m = mapPlatformNotification(platform, n);
  if (!m.ok) throw new Error(m.message);
  const e = { eventId: 'x', tenantId: 'tenant-a', receivedAt: '2026-11-28T12:00:00Z', schemaVersion: 1, ...m.item };
  const v = validateCanonicalEvent(e);
  if (!v.ok) throw new Error(v.message);
  return v.value;
}

describe('platform mappers', () => {
  it('maps a Douyin paid order: ids, unix seconds, fen', () => {
    const e = canonical('douyin', {
      event: 'trade_order_paid',
      msg_id: 'm-1',
      create_time: 1764324000,
      open_id: 'ou-1',
      room_id: 'r-9',
      anchor_open_id: 'a-3',
      content: JSON.stringify({ order_id: 'o-1', pay_amount: 19900, product_id: 'py-101' }),
    });
    expect(e).toMatchObject({
      type: 'order.paid',
      source: 'douyin',
      occurredAt: '2025-11-28T10:00:00.000Z',
      userId: 'ou-1',
      liveSessionId: 'r-9',
      streamerId: 'a-3',
      courseId: 'py-101',
      payload: { orderId: 'o-1', amount: { amountMinor: 19900, currency: 'CNY' } },
    });
    expect(mapPlatformNotification('douyin', { event: 'live_like', msg_id: 'm-2', create_time: 1 })).toMatchObject({ ok: true, item: { eventId: 'douyin:m-2' } });
  });

  it('maps a Kuaishou comment with a millisecond timestamp and numeric ids', () => {
    const e = canonical('kuaishou', { eventType: 'LIVE_COMMENT', eventId: 'k-1', timestamp: 1764324000123, data: { userId: 42, liveStreamId: 'ls-7', authorId: 'au-1', content: '有优惠吗' } });
    expect(e).toMatchObject({ type: 'live.comment.posted', occurredAt: '2025-11-28T10:00:00.123Z', userId: '42', liveSessionId: 'ls-7', payload: { text: '有优惠吗' } });
  });

  it('maps a Taobao payment: China local time and yuan strings to exact fen', () => {
    const e = canonical('taobao', {
      topic: 'taobao_trade_TradeBuyerPay',
      msg_id: 't-1',
      pub_time: '2026-11-28 20:15:03',
      content: { tid: 'T100', payment: '199.90', buyer_open_uid: 'b-1', num_iid: 5566, live_id: 'lv-1', anchor_id: 'an-1' },
    });
    expect(e).toMatchObject({ type: 'order.paid', occurredAt: '2026-11-28T20:15:03+08:00', courseId: '5566', payload: { orderId: 'T100', amount: { amountMinor: 19990, currency: 'CNY' } } });
    expect(yuan('0.1')).toEqual({ amountMinor: 10, currency: 'CNY' });
    expect(yuan('19.99')).toEqual({ amountMinor: 1999, currency: 'CNY' });
    expect(yuan('abc')).toBeUndefined();
    expect(fromChinaLocal('2026-01-02T03:04:05')).toBe('2026-01-02T03:04:05+08:00');
  });

  it('maps a WeChat Channels refund with order_info and a live room entry', () => {
    const refund = canonical('wechat-channels', {
      Event: 'channels_ec_aftersale_refund',
      MsgId: 'w-1',
      CreateTime: 1764324000,
      FromUserName: 'oX-1',
      finder_id: 'f-1',
      order_info: { order_id: 'wo-1', refund_amount_fen: 5000, product_id: 'design-1', reason: '不想要了' },
    });
    expect(refund).toMatchObject({ type: 'order.refunded', userId: 'oX-1', streamerId: 'f-1', courseId: 'design-1', payload: { orderId: 'wo-1', amount: { amountMinor: 5000, currency: 'CNY' }, reason: '不想要了' } });
    const enter = canonical('wechat-channels', { Event: 'channels_live_enter', CreateTime: 1764324000, FromUserName: 'oX-1', live_id: 'L1', scene: 'feed' });
    expect(enter).toMatchObject({ type: 'live.room.entered', liveSessionId: 'L1', payload: { referrer: 'feed' } });
  });

  it('rejects an event name without mapping, naming the known ones', () => {
    const m = mapPlatformNotification('kuaishou', { eventType: 'LIVE_DANCE' });
    expect(m).toMatchObject({ ok: false, code: 'unknown_platform_event' });
    expect(!m.ok && m.message).toContain('LIVE_ENTER');
  });

  it('passes the generic format through, defaulting source', () => {
    expect(mapPlatformNotification('generic', { type: 'live.like', occurredAt: '2026-11-28T10:00:00Z' })).toEqual({
      ok: true,
      item: { source: 'generic', type: 'live.like', occurredAt: '2026-11-28T10:00:00Z' },
    });
    expect(mapPlatformNotification('generic', [1])).toMatchObject({ ok: false, code: 'schema_violation' });
  });

  it('documents every platform event in one table', () => {
    const doc = describePlatformMappings();
    for (const name of ['live_enter', 'LIVE_ENTER', 'taobao_trade_TradeBuyerPay', 'channels_ec_order_pay', '**generic**']) expect(doc).toContain(name);
  });
});
