import { seededRandom } from '@livepromo/testing';
import { analysePurchaseFactors, buildFactorDesign, VisitSample } from './purchase-factors';

const opts = { tzOffsetMinutes: 480, minStreamerSamples: 2, maxStreamers: 4 };

describe('buildFactorDesign', () => {
  it('encodes watch time, strategies, local time slot and streamers, dropping constant columns', () => {
    const v = (over: Partial<VisitSample>): VisitSample => ({
      sessionId: 'ls',
      streamerId: 's-a',
      firstEntryAt: '2026-11-20T12:00:00Z',
      watchSec: 0,
      comments: 0,
      couponClaims: 0,
      lotteryJoins: 0,
      purchased: false,
      ...over,
    });
    const d = buildFactorDesign(
      [
        v({ watchSec: 60 * (Math.E - 1), comments: 2 }), // 20:00 local Friday
        v({ streamerId: 's-b', firstEntryAt: '2026-11-21T01:00:00Z' }), // 09:00 local Saturday
        v({ streamerId: 's-a', couponClaims: 1 }),
        v({ streamerId: 's-b', purchased: true }),
      ],
      opts,
    );
    expect(d.names).toEqual(['log_watch_minutes', 'commented', 'coupon_claimed', 'evening_slot', 'weekend', 'streamer:s-b']);
    expect(d.dropped).toEqual([{ name: 'lottery_joined', reason: 'constant over the sample' }]);
    expect(d.referenceStreamer).toBe('s-a');
    expect(d.rows[0]).toEqual([expect.closeTo(1, 10), 1, 0, 1, 0, 0]);
    expect(d.rows[1]).toEqual([0, 0, 0, 0, 1, 1]);
    expect(d.y).toEqual([0, 0, 0, 1]);
  });
});

describe('analysePurchaseFactors', () => {
  it('recovers a planted coupon effect and a planted streamer effect with the right signs', () => {
    const rand = seededRandom(3);
    const samples: VisitSample[] = [];
    for (let i = 0; i < 4000; i++) {
      const coupon = rand() < 0.4;
      const streamer = rand() < 0.5 ? 's-good' : 's-base';
      const watchMin = rand() * 60;
      const t = -2 + 1.0 * (coupon ? 1 : 0) + 0.7 * (streamer === 's-good' ? 1 : 0) + 0.5 * Math.log1p(watchMin);
      samples.push({
        sessionId: `ls-${i % 20}`,
        streamerId: streamer,
        firstEntryAt: new Date(Date.UTC(2026, 10, 1) + Math.floor(rand() * 30 * 24) * 3_600_000).toISOString(),
        watchSec: watchMin * 60,
        comments: rand() < 0.3 ? 1 : 0,
        couponClaims: coupon ? 1 : 0,
        lotteryJoins: rand() < 0.2 ? 1 : 0,
        purchased: rand() < 1 / (1 + Math.exp(-t)),
      });
    }
    const r = analysePurchaseFactors(samples, { ...opts, minStreamerSamples: 30, lambda: 1, level: 0.95 });
    const coef = (name: string) => r.fit!.coefficients.find((c) => c.name === name)!;
    expect(r.fit!.n).toBe(4000);
    expect(coef('coupon_claimed').coefficient).toBeGreaterThan(0.75);
    expect(coef('coupon_claimed').coefficient).toBeLessThan(1.25);
    expect(coef('coupon_claimed').ci.low).toBeGreaterThan(0);
    // the reference streamer is the more frequent one; either way the sign must say s-good sells better
    const s = r.design.referenceStreamer === 's-base' ? coef('streamer:s-good').coefficient : -coef('streamer:s-base').coefficient;
    expect(s).toBeGreaterThan(0.45);
    expect(s).toBeLessThan(0.95);
    expect(coef('log_watch_minutes').coefficient).toBeGreaterThan(0.3);
    expect(Math.abs(coef('lottery_joined').coefficient)).toBeLessThan(0.25); // no planted effect
  });

  it('refuses to fit when all visits share one outcome', () => {
    const same = Array.from({ length: 20 }, (_, i) => ({
      sessionId: 'x',
      streamerId: null,
      firstEntryAt: '2026-11-20T12:00:00Z',
      watchSec: i,
      comments: 0,
      couponClaims: 0,
      lotteryJoins: 0,
      purchased: false,
    }));
    expect(analysePurchaseFactors(same, { ...opts, lambda: 1, level: 0.95 })).toMatchObject({
      fit: null,
      reason: expect.stringContaining('same outcome'),
    });
  });
});
