import type { CanonicalEvent } from '@livepromo/contracts';
import { makeEvent } from '@livepromo/testing';
import { foldEvents, sessionKey } from './event-deltas';

const ev = (e: unknown) => e as CanonicalEvent;

describe('foldEvents', () => {
  it('aggregates room events per streamer and per user–streamer pair, resolving the streamer from the session', () => {
    const sessions = new Map([[sessionKey('t1', 'ls-9'), { streamerId: 's-9', category: 'design', startedAt: '2026-11-28T10:00:00.000Z' }]]);
    const d = foldEvents(
      [
        ev(makeEvent('live.room.entered', { tenantId: 't1', userId: 'u1', streamerId: undefined, liveSessionId: 'ls-9' })),
        ev(makeEvent('live.like', { tenantId: 't1', userId: 'u1', streamerId: undefined, liveSessionId: 'ls-9' })),
        ev(makeEvent('live.room.left', { tenantId: 't1', userId: 'u1', streamerId: undefined, liveSessionId: 'ls-9', payload: { watchSec: 120 } })),
        ev(makeEvent('live.session.ended', { tenantId: 't1', streamerId: undefined, liveSessionId: 'ls-9', occurredAt: '2026-11-28T11:00:00.000Z', payload: {} })),
      ],
      sessions,
    );
    expect(d.activity).toEqual([
      { tenantId: 't1', streamerId: 's-9', sessions: 0, liveSec: 3600, enters: 1, watchSec: 120, interactions: 1, orders: 0, revenueMinor: 0 },
    ]);
    expect(d.pairs).toHaveLength(1);
    expect(d.pairs[0]).toMatchObject({ userId: 'u1', streamerId: 's-9', enters: 1, watchSec: 120, interactions: 1, purchases: 0 });
    // entering a design session adds 0.5 design interest
    expect(d.userCategories).toEqual([{ tenantId: 't1', id: 'u1', key: 'design', weight: 0.5 }]);
    expect(d.tenants).toEqual(['t1']);
  });

  it('counts a paid order as revenue, a purchase, category interest and course audience', () => {
    const d = foldEvents(
      [
        ev(
          makeEvent('order.paid', {
            tenantId: 't1',
            userId: 'u2',
            streamerId: 's-1',
            courseId: 'c-1',
            payload: { orderId: 'o1', amount: { amountMinor: 19900, currency: 'CNY' }, category: 'programming' },
          }),
        ),
      ],
      new Map(),
    );
    expect(d.activity[0]).toMatchObject({ orders: 1, revenueMinor: 19900 });
    expect(d.pairs[0]).toMatchObject({ purchases: 1 });
    expect(d.userCategories).toEqual([{ tenantId: 't1', id: 'u2', key: 'programming', weight: 3 }]);
    expect(d.courses).toEqual([{ tenantId: 't1', courseId: 'c-1', category: 'programming', views: 0, purchases: 1 }]);
    expect(d.courseAudience).toEqual([{ tenantId: 't1', id: 'c-1', key: 'u2', weight: 3 }]);
  });

  it('keeps the latest profile of a streamer within a batch', () => {
    const d = foldEvents(
      [
        ev(makeEvent('streamer.profile.upserted', { tenantId: 't1', streamerId: 's1', occurredAt: '2026-11-28T10:00:02.000Z', payload: { name: 'new', categories: ['design'], followers: 9 } })),
        ev(makeEvent('streamer.profile.upserted', { tenantId: 't1', streamerId: 's1', occurredAt: '2026-11-28T10:00:01.000Z', payload: { name: 'old', categories: [], followers: 1 } })),
      ],
      new Map(),
    );
    expect(d.profiles).toHaveLength(1);
    expect(d.profiles[0]).toMatchObject({ name: 'new', followers: 9 });
  });

  it('ignores events it has no use for', () => {
    const d = foldEvents([ev(makeEvent('cost.ad_spend', { tenantId: 't1' }))], new Map());
    expect(d.tenants).toEqual([]);
  });

  it('counts a favourite as course audience (weight 1.5) and skips types livepromo derives itself', () => {
    const d = foldEvents(
      [
        ev(makeEvent('course.favourited', { tenantId: 't1', userId: 'u3', courseId: 'c-9', payload: { topics: ['figma'] } })),
        ev(makeEvent('roi.updated', { tenantId: 't2' })),
        ev(makeEvent('comment.classified', { tenantId: 't2', liveSessionId: 'ls-1' })),
      ],
      new Map(),
    );
    expect(d.courseAudience).toEqual([{ tenantId: 't1', id: 'c-9', key: 'u3', weight: 1.5 }]);
    expect(d.tenants).toEqual(['t1']);
  });
});
