import { CanonicalEvent, canonicalEventSchema } from '@livepromo/contracts';
import { makeEvent } from '@livepromo/testing';
import { implausibleAmount, localDay, mapEvent } from './ledger-entry';
import { parseTenantCaps } from '../roi.config';

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

describe('localDay', () => {
  it('uses the local day', () => {
    expect(localDay('2026-11-20T16:00:00.000Z', 480)).toBe('2026-11-21');
    expect(localDay('2026-11-20T15:59:59.000Z', 480)).toBe('2026-11-20');
  });
});

describe('implausibleAmount', () => {
  const cap = { defaultMinor: 1_000_000_000, byTenant: new Map([['big-tenant', 6_000_000_000_000_000]]) };
  const paid = (amountMinor: number, tenantId = 't-1') =>
    ev(makeEvent('order.paid', { tenantId, payload: { orderId: 'o-x', amount: { amountMinor, currency: 'CNY' } } }));
  it('lets amounts up to the cap through and refuses larger, negative or non-exact ones with the reason', () => {
    expect(implausibleAmount(paid(1_000_000_000), cap)).toBeNull();
    const big = implausibleAmount(paid(5_000_000_000_000_000), cap);
    expect(big).toMatchObject({ reason: 'implausible_amount', details: { field: 'payload.amount.amountMinor', capMinor: 1_000_000_000 } });
    expect(big!.message).toContain('plausibility cap');
    expect(implausibleAmount(paid(-5), cap)!.message).toContain('negative');
    const unsafe = { ...paid(1), payload: { orderId: 'o-x', amount: { amountMinor: 2 ** 53 + 2, currency: 'CNY' } } } as CanonicalEvent;
    expect(implausibleAmount(unsafe, cap)!.message).toContain('exact integer'); // the contract refuses these already; belt and braces
  });
  it('uses the per-tenant cap where one is set', () => {
    expect(implausibleAmount(paid(5_000_000_000_000_000, 'big-tenant'), cap)).toBeNull();
    expect(implausibleAmount(paid(7_000_000_000_000_000, 'big-tenant'), cap)!.details.capMinor).toBe(6_000_000_000_000_000);
  });
  it('checks discounts, refunds, costs and coupon values too, and ignores events without money', () => {
    const refund = ev(makeEvent('order.refunded', { payload: { orderId: 'o', amount: { amountMinor: 2e9, currency: 'CNY' }, reason: 'x' } }));
    expect(implausibleAmount(refund, cap)).not.toBeNull();
    const ad = ev(makeEvent('cost.ad_spend', { payload: { channel: 'c', amount: { amountMinor: 2e9, currency: 'CNY' } } }));
    expect(implausibleAmount(ad, cap)).not.toBeNull();
    expect(implausibleAmount(ev(makeEvent('live.room.entered', {})), cap)).toBeNull();
  });
});

describe('parseTenantCaps', () => {
  it('reads tenant=integer pairs and refuses anything else', () => {
    expect(parseTenantCaps('')).toEqual(new Map());
    expect(parseTenantCaps('a=5, b-2=6000000000000000')).toEqual(new Map([['a', 5], ['b-2', 6_000_000_000_000_000]]));
    expect(parseTenantCaps('a=x')).toBeNull();
    expect(parseTenantCaps('a=0')).toBeNull();
    expect(parseTenantCaps('a=99999999999999999')).toBeNull();
  });
});
