import { Inject, Injectable } from '@nestjs/common';
import type { Dimension } from '../domain/dimensions';
import { FIGURE_FORMULAS, FunnelCounts, FunnelStep, funnelSteps, ReportFigures, reportFigures } from '../domain/report-figures';
import { AnalyticsRepository, Period } from '../infrastructure/analytics.repository';
import { ROI_CONFIG, RoiConfig } from '../roi.config';

export interface RoiReport {
  dimension: Dimension;
  period: Period;
  currencyNote: string;
  rows: ReportFigures[];
  totals: ReportFigures;
  computation: typeof FIGURE_FORMULAS & { attributionWindowHours: number; ledgerRowsInPeriod: number; groups: number; truncated: boolean };
}

export interface FunnelRow extends FunnelCounts {
  steps: FunnelStep[];
}

export interface FunnelReport {
  dimension: Dimension;
  period: Period;
  asOf: string;
  rows: FunnelRow[];
  totals: FunnelRow;
  computation: Record<string, string | number>;
}

const EMPTY_TOTALS = {
  key: 'all',
  grossPaidMinor: 0n,
  refundedMinor: 0n,
  attributedMinor: 0n,
  influencedMinor: 0n,
  unattributedMinor: 0n,
  adSpendMinor: 0n,
  streamerFeeMinor: 0n,
  commissionMinor: 0n,
  platformFeeMinor: 0n,
  couponMinor: 0n,
  paidOrders: 0,
  refunds: 0,
  payingUsers: 0,
  ledgerRows: 0,
  roomEntries: 0,
};

/** ROI report and conversion funnel by session / streamer / course / channel / day for a period. */
@Injectable()
export class RoiReportUseCase {
  constructor(
    @Inject(AnalyticsRepository) private readonly analytics: AnalyticsRepository,
    @Inject(ROI_CONFIG) private readonly config: RoiConfig,
  ) {}

  async report(tenantId: string, dimension: Dimension, period: Period, limit: number): Promise<RoiReport> {
    const { groups, total } = await this.analytics.reportSums(tenantId, dimension, period, limit + 1);
    const truncated = groups.length > limit;
    const totals = reportFigures(total ?? EMPTY_TOTALS);
    return {
      dimension,
      period,
      currencyNote: 'all money in integer minor units (fen for CNY); mixed currencies are summed as given',
      rows: groups.slice(0, limit).map(reportFigures),
      totals,
      computation: {
        ...FIGURE_FORMULAS,
        attributionWindowHours: this.config.attributionWindowSec / 3600,
        ledgerRowsInPeriod: totals.sample.ledgerRows,
        groups: Math.min(groups.length, limit),
        truncated,
      },
    };
  }

  async funnel(tenantId: string, dimension: Dimension, period: Period, asOf: string, limit: number): Promise<FunnelReport> {
    const [groups, [total]] = await Promise.all([
      this.analytics.funnel(tenantId, dimension, period, asOf, limit),
      this.analytics.funnel(tenantId, 'all', period, asOf, 1),
    ]);
    const withSteps = (c: FunnelCounts): FunnelRow => ({ ...c, steps: funnelSteps(c) });
    const zero: FunnelCounts = {
      key: 'all',
      impressions: 0,
      roomEntries: 0,
      productClicks: 0,
      ordersCreated: 0,
      paidOrders: 0,
      keptOrders: 0,
      pendingOrders: 0,
      refundedOrders: 0,
    };
    return {
      dimension,
      period,
      asOf,
      rows: groups.map(withSteps),
      totals: withSteps(total ?? zero),
      computation: {
        impressions: 'Σ cost.ad_spend.impressions in the period',
        roomEntries: 'count of live.room.entered',
        productClicks: 'count of live.product.clicked',
        orders: 'count of order.created',
        paid: 'count of order.paid',
        kept:
          'paid orders with no refund whose refund window (payload.refundWindowDays, default ' +
          `${this.config.ledger.defaultRefundWindowDays} d) closed by asOf; pendingOrders = still inside the window, refundedOrders = with a refund`,
        conversion: 'step count / previous step count (null when the previous step is 0); steps are counted independently, not per user',
        period: `[${period.from}, ${period.to}) by occurredAt`,
      },
    };
  }
}
