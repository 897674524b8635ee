import { CanonicalEvent, COURSE_CATEGORIES } from '@livepromo/contracts';
import { makeEvent } from '@livepromo/testing';
import { AS_OF, DAY, EXPECTED_U1, HALF_LIFE_DAYS, sessionStart, userHistory } from '../../../test/scripted-history';
import { DEFAULT_SCORE_WEIGHTS } from './behaviour-score';
import { applyEvent, emptyProfileState, localHourOf, priceBandOf, ProfileSettings, ProfileState, topCategoryOf } from './profile-state';
import { buildProfileView } from './profile-view';

const settings: ProfileSettings = { halfLifeMs: HALF_LIFE_DAYS * DAY, tzOffsetMinutes: 480, priceLowMaxMinor: 10_000, priceMidMaxMinor: 50_000 };
const categoryOf = (sessionId: string) => (sessionId === 'ls-1' ? ('programming' as const) : undefined);

function fold(order: number[] | null): ProfileState {
  const events = userHistory('t-a');
  const s = emptyProfileState();
  for (const i of order ?? events.map((_, i) => i)) applyEvent(s, events[i], settings, categoryOf);
  return s;
}

const view = (s: ProfileState) =>
  buildProfileView({ tenantId: 't-a', userId: 'u-1', version: 1, state: s }, Date.parse(AS_OF), DEFAULT_SCORE_WEIGHTS, 'default', settings);

describe('profile fold and read model', () => {
  it('computes interests with decay from the documented weights', () => {
    const v = view(fold(null));
    const cat = Object.fromEntries(v.interests.categories.map((c) => [c.category, c.affinity]));
    expect(cat.programming).toBeCloseTo(EXPECTED_U1.categories.programming, 6); // 4.132243
    expect(cat.writing).toBeCloseTo(EXPECTED_U1.categories.writing, 6); // 3.535534
    expect(cat.design).toBeCloseTo(EXPECTED_U1.categories.design, 6); // 0.401915
    expect(v.interests.categories.map((c) => c.category)).toEqual(['programming', 'writing', 'design']);
    expect(v.interests.categories[0].share).toBeCloseTo(4.132243 / (4.132243 + 3.535534 + 0.401915), 5);
    expect(v.interests.topCategory).toBe('programming');
    expect(v.interests.topics).toEqual([{ topic: 'programming/python', affinity: 0.25 }]);
    expect(v.interests.unattributedAffinity).toBe(0);
  });

  it('computes purchase habits: RFM, AOV, discount sensitivity, refund rate, hours and price band', () => {
    const p = view(fold(null)).purchaseHabits;
    expect(p.rfm).toMatchObject({ recencyDays: 5, frequency: 2, monetaryMinor: 19_900, scores: { r: 5, f: 2, m: 1 }, segment: 'promising' });
    expect(p.paidOrders).toBe(2);
    expect(p.averageOrderValueMinor).toBe(12_450); // (19 900 + 5 000) / 2
    expect(p.discountSensitivity).toEqual({ discountedOrderShare: 0.5, averageDiscountRate: 0.074349, couponClaims: 1 }); // 2000 / 26 900
    expect(p.refundRate).toBe(0.5);
    expect(p.preferredBuyingHours).toEqual([8, 20]); // 00:00Z and 12:00Z at UTC+8
    expect(p.priceBand.counts).toEqual({ low: 1, mid: 1, high: 0 });
    expect(p.priceBand.preferred).toBe('low'); // tie goes to the cheaper band
    expect(p.currency).toBe('CNY');
  });

  it('computes interaction frequency and favourite streamers', () => {
    const i = view(fold(null)).interaction;
    expect(i).toMatchObject({
      liveSessionsAttended: 1,
      roomEntries: 1,
      watchEvents: 1,
      totalWatchSec: 600,
      averageWatchSec: 600,
      commentsPerWatchedMinute: 0.1,
      likesPerWatchedMinute: 0.4,
      sharesPerWatchedMinute: 0.1,
    });
    expect(i.favouriteStreamers).toHaveLength(1);
    expect(i.favouriteStreamers[0].streamerId).toBe('s-1');
    expect(i.favouriteStreamers[0].score).toBeCloseTo(EXPECTED_U1.favouriteStreamer, 6); // 6.056300
  });

  it('returns the behaviour score with every term', () => {
    const s = view(fold(null)).behaviourScore;
    for (const [name, contribution] of Object.entries(EXPECTED_U1.score)) {
      expect(s.terms.find((t) => t.name === name)!.contribution).toBeCloseTo(contribution, 6);
    }
    expect(s.value).toBeCloseTo(2.308838, 5);
  });

  it('gives the same read model whatever the order of the events', () => {
    const forward = view(fold(null));
    const backward = view(fold([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]));
    const shuffled = view(fold([6, 2, 9, 0, 11, 4, 1, 8, 3, 10, 7, 5]));
    expect(backward).toEqual(forward);
    expect(shuffled).toEqual(forward);
  });

  it('counts live interest whose session category is unknown as unattributed', () => {
    const s = emptyProfileState();
    for (const e of userHistory('t-a')) applyEvent(s, e, settings, () => undefined);
    const v = view(s);
    expect(v.interests.unattributedAffinity).toBeCloseTo((0.2 * 10 + 0.5) * 2 ** -0.95, 6);
    expect(sessionStart('t-a').type).toBe('live.session.started');
  });

  it('helpers: local hour, price band and top category', () => {
    expect(localHourOf(Date.parse('2026-11-11T18:30:00Z'), 480)).toBe(2);
    expect(localHourOf(Date.parse('2026-11-11T00:30:00Z'), -300)).toBe(19);
    expect([9_999, 10_000, 49_999, 50_000].map((a) => priceBandOf(a, settings))).toEqual(['low', 'mid', 'mid', 'high']);
    expect(topCategoryOf({ design: 2, writing: 2 }, COURSE_CATEGORIES)).toBe('writing');
    expect(topCategoryOf({}, COURSE_CATEGORIES)).toBeNull();
  });

  it('takes a favourite as topic interest (weight 2) and ignores types livepromo derives itself', () => {
    const s = emptyProfileState();
    const at = new Date(Date.parse(AS_OF) - 1000).toISOString();
    const fav = { ...makeEvent('course.favourited', { tenantId: 't-a', userId: 'u-1', courseId: 'c-1', occurredAt: at, payload: { topics: ['figma', 'figma'] } }), eventId: 'f1' };
    applyEvent(s, fav as CanonicalEvent, settings, categoryOf);
    const applied = s.eventsApplied;
    expect(s.decayed.topics).toEqual({ figma: 2 });
    expect(s.decayed.unattributed).toEqual({ favourite: 2 });
    applyEvent(s, makeEvent('roi.updated', { tenantId: 't-a', userId: 'u-1', occurredAt: at }) as CanonicalEvent, settings, categoryOf);
    expect(s.eventsApplied).toBe(applied);
  });
});
