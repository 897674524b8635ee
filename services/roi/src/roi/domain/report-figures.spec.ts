import { divRound, funnelSteps, GroupSums, reportFigures } from './report-figures';

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

describe('funnelSteps', () => {
  it('divides each step by the previous one', () => {
    const steps = funnelSteps({
      key: 'all',
      impressions: 1000,
      roomEntries: 100,
      productClicks: 40,
      ordersCreated: 10,
      paidOrders: 8,
      keptOrders: 6,
      pendingOrders: 1,
      refundedOrders: 1,
    });
    expect(steps.map((s) => s.count)).toEqual([1000, 100, 40, 10, 8, 6]);
    expect(steps.map((s) => s.conversionFromPrevious)).toEqual([null, 0.1, 0.4, 0.25, 0.8, 0.75]);
    expect(
      funnelSteps({
        key: 'x',
        impressions: 0,
        roomEntries: 5,
        productClicks: 0,
        ordersCreated: 0,
        paidOrders: 0,
        keptOrders: 0,
        pendingOrders: 0,
        refundedOrders: 0,
      })[1].conversionFromPrevious,
    ).toBeNull();
  });
});
