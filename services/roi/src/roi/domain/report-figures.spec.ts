import { divRound, funnelSteps, GroupSums, money, reportFigures } from './report-figures';

const sums = (over: Partial<GroupSums> = {}): GroupSums => ({
  key: 'ls-1',
  grossPaidMinor: 100_000n,
  refundedMinor: 10_000n,
  attributedMinor: 60_000n,
  influencedMinor: 30_000n,
  unattributedMinor: 0n,
  adSpendMinor: 30_000n,
  streamerFeeMinor: 20_000n,
  commissionMinor: 9_000n,
  platformFeeMinor: 4_500n,
  couponMinor: 1_500n,
  paidOrders: 7,
  refunds: 1,
  payingUsers: 6,
  ledgerRows: 20,
  roomEntries: 300,
  ...over,
});

describe('reportFigures', () => {
  it('computes ROI, net profit, break-even and unit costs as by hand', () => {
    const f = reportFigures(sums());
    // R = 90 000; C = 30 000 + 20 000 + 9 000 + 4 500 + 1 500 = 65 000
    expect(f.revenue.netMinor).toBe(90_000);
    expect(f.cost.totalMinor).toBe(65_000);
    expect(f.roi).toBeCloseTo(90_000 / 65_000, 12);
    expect(f.adRoi).toBe(3);
    expect(f.netProfitMinor).toBe(25_000);
    // non-ad costs 35 000 → break-even ad ROI = 90 000 / 55 000
    expect(f.breakEvenAdRoi).toBeCloseTo(90_000 / 55_000, 12);
    expect(f.costPerPaidOrderMinor).toBe(9_286); // 65 000 / 7 = 9 285.71
    expect(f.customerAcquisitionCostMinor).toBe(10_833); // 65 000 / 6 = 10 833.3
    expect(f.traffic).toMatchObject({ roomEntries: 300, botRoomEntries: 0, rawRoomEntries: 300, botEvents: 0, botDiscountedRoomEntries: 300, botShareOfRoomEntries: 0 });
  });

  it('discounts bot traffic: clean entries stay, raw entries and the bot share say how much was removed', () => {
    const f = reportFigures(sums({ bot: { events: 40, users: 3, roomEntries: 100, sessions: 2 } }));
    expect(f.traffic).toEqual({
      roomEntries: 300,
      botRoomEntries: 100,
      rawRoomEntries: 400,
      botDiscountedRoomEntries: 300,
      botShareOfRoomEntries: 0.25,
      botEvents: 40,
      botUsers: 3,
      botSessions: 2,
    });
    expect(reportFigures(sums({ roomEntries: 0 })).traffic.botShareOfRoomEntries).toBeNull();
  });

  it('answers null instead of dividing by zero', () => {
    const f = reportFigures(
      sums({
        adSpendMinor: 0n,
        streamerFeeMinor: 0n,
        commissionMinor: 0n,
        platformFeeMinor: 0n,
        couponMinor: 0n,
        paidOrders: 0,
        payingUsers: 0,
      }),
    );
    expect(f.roi).toBeNull();
    expect(f.adRoi).toBeNull();
    expect(f.costPerPaidOrderMinor).toBeNull();
    expect(f.customerAcquisitionCostMinor).toBeNull();
    expect(reportFigures(sums({ grossPaidMinor: 0n, refundedMinor: 0n })).breakEvenAdRoi).toBeNull();
  });

  it('rounds integer division half away from zero', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(7n, 3n)).toBe(2n);
  });
});

describe('money beyond 2^53', () => {
  it('keeps every sum exact: numbers up to 2^53 − 1, decimal strings beyond', () => {
    const five = 5_000_000_000_000_000n; // 5e15 fen
    const f = reportFigures(
      sums({ grossPaidMinor: 2n * five, refundedMinor: 0n, attributedMinor: 2n * five, influencedMinor: 0n, paidOrders: 2, payingUsers: 2 }),
    );
    expect(f.revenue.grossPaidMinor).toBe('10000000000000000');
    expect(f.revenue.netMinor).toBe('10000000000000000');
    expect(f.netProfitMinor).toBe('9999999999935000');
    expect(f.cost.totalMinor).toBe(65_000);
    expect(f.costPerPaidOrderMinor).toBe(32_500);
    expect(f.roi).toBeCloseTo(1e16 / 65_000, 0);
    expect(money(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(money(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toBe('9007199254740992');
    expect(money(-BigInt(Number.MAX_SAFE_INTEGER) - 1n)).toBe('-9007199254740992');
  });
});

describe('funnelSteps', () => {
  const counts = {
    key: 'all',
    impressions: 1000,
    roomEntries: 100,
    productClicks: 40,
    ordersCreated: 10,
    paidOrders: 8,
    keptOrders: 6,
    pendingOrders: 1,
    refundedOrders: 1,
    paidWithoutCreated: 2,
  };
  it('divides each step by the previous one of the same unit, and says where the unit changes', () => {
    const steps = funnelSteps(counts);
    expect(steps.map((s) => s.count)).toEqual([1000, 100, 40, 10, 8, 6]);
    expect(steps.map((s) => s.unit)).toEqual(['impressions', 'visits', 'visits', 'orders', 'orders', 'orders']);
    expect(steps.map((s) => s.conversionFromPrevious)).toEqual([null, null, 0.4, null, 0.8, 0.75]);
    expect(steps[1].note).toContain('unit changes');
    expect(funnelSteps({ ...counts, productClicks: 0, ordersCreated: 0, paidOrders: 0, keptOrders: 0 })[4].conversionFromPrevious).toBeNull();
  });
  it('gives null steps with the reason where a dimension cannot count them', () => {
    const steps = funnelSteps({
      ...counts,
      roomEntries: null,
      productClicks: null,
      notAvailable: { roomEntries: 'room entries carry no channel', productClicks: 'clicks carry no channel' },
    });
    expect(steps[1]).toMatchObject({ count: null, note: 'room entries carry no channel' });
    expect(steps[2]).toMatchObject({ count: null, conversionFromPrevious: null });
  });
});
