import { CanonicalEvent, canonicalEventSchema } from '@livepromo/contracts';
import { makeEvent } from '@livepromo/testing';
import { applyRate, localDay, mapEvent } from './ledger-entry';

const settings = { tzOffsetMinutes: 480, defaultRefundWindowDays: 7 };
const ev = (e: unknown): CanonicalEvent => canonicalEventSchema.parse(e);

describe('mapEvent', () => {
  it('turns a paid order with a session into a direct revenue row and a coupon cost row', () => {
    const e = ev(makeEvent('order.paid', { occurredAt: '2026-11-20T17:30:00.000Z', liveSessionId: 'ls-9' }));
    const m = mapEvent(e, settings);
    expect(m.ledger).toHaveLength(2);
    expect(m.ledger[0]).toMatchObject({
      kind: 'revenue',
      amountMinor: 17900,
      attribution: 'direct',
      sessionId: 'ls-9',
      channel: 'douyin-ads',
      orderId: 'o-1',
      day: '2026-11-21',
      windowEndsAt: '2026-11-27T17:30:00.000Z',
    });
    expect(m.ledger[1]).toMatchObject({ kind: 'coupon', amountMinor: 2000, attribution: 'direct' });
  });

  it('leaves a paid order without a session unattributed for the window to resolve, with the default refund window', () => {
    const e = ev(
      makeEvent('order.paid', {
        occurredAt: '2026-11-20T00:00:00.000Z',
        payload: { orderId: 'o-2', amount: { amountMinor: 100, currency: 'CNY' } },
      }),
    );
    const [row] = mapEvent(e, settings).ledger;
    expect(row).toMatchObject({ attribution: 'none', sessionId: null, windowEndsAt: '2026-11-27T00:00:00.000Z' });
    expect(mapEvent(e, settings).ledger).toHaveLength(1);
  });

  it('records refunds negative, costs positive and rates as rules', () => {
    expect(mapEvent(ev(makeEvent('order.refunded')), settings).ledger[0]).toMatchObject({
      kind: 'refund',
      amountMinor: -17900,
      orderId: 'o-1',
    });
    const ad = mapEvent(ev(makeEvent('cost.ad_spend')), settings);
    expect(ad.ledger[0]).toMatchObject({ kind: 'ad_spend', amountMinor: 500000, channel: 'douyin-ads', attribution: 'cost' });
    expect(ad.funnel[0]).toMatchObject({ kind: 'impression', qty: 100000, channel: 'douyin-ads' });
    const com = mapEvent(ev(makeEvent('cost.commission', { liveSessionId: 'ls-1' })), settings);
    expect(com.ledger).toEqual([]);
    expect(com.rules[0]).toMatchObject({ kind: 'commission', rate: 0.2, sessionId: 'ls-1', streamerId: null, orderId: null });
    const fee = mapEvent(
      ev(makeEvent('cost.platform_fee', { payload: { amount: { amountMinor: 500, currency: 'CNY' }, rate: 0.05 } })),
      settings,
    );
    expect(fee.ledger[0]).toMatchObject({ kind: 'platform_fee', amountMinor: 500 });
    expect(fee.rules[0]).toMatchObject({ kind: 'platform_fee', rate: 0.05, streamerId: 's-1' });
  });

  it('counts funnel facts and ignores events that carry neither money nor a funnel step', () => {
    expect(mapEvent(ev(makeEvent('live.room.left')), settings).funnel[0]).toMatchObject({ kind: 'watch', qty: 630 });
    expect(mapEvent(ev(makeEvent('live.product.clicked')), settings).funnel[0]).toMatchObject({
      kind: 'product_click',
      qty: 1,
      sessionId: 'ls-1',
    });
    expect(mapEvent(ev(makeEvent('course.viewed')), settings)).toEqual({ ledger: [], funnel: [], rules: [] });
  });
});

describe('applyRate and localDay', () => {
  it('rounds rate × amount half away from zero in exact integer arithmetic', () => {
    expect(applyRate(17900n, 0.2)).toBe(3580n);
    expect(applyRate(5n, 0.5)).toBe(3n); // 2.5 → 3
    expect(applyRate(-5n, 0.5)).toBe(-3n);
    expect(applyRate(12345n, 0.075)).toBe(926n); // 925.875
  });
  it('uses the local day', () => {
    expect(localDay('2026-11-20T16:00:00.000Z', 480)).toBe('2026-11-21');
    expect(localDay('2026-11-20T15:59:59.000Z', 480)).toBe('2026-11-20');
  });
});
