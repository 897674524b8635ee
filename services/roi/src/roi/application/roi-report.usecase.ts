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
      paidWithoutCreated: 0,
    };
    return {
      dimension,
      period,
      asOf,
      rows: groups.map(withSteps),
      totals: withSteps(total ?? zero),
      computation: {
        cohorts:
          'two chains, each one cohort, so no step exceeds the previous within a chain: visits (room entries ⊇ product clicks) and orders (orders ⊇ paid ⊇ kept); ' +
          'impressions are reach (ad impressions), not a cohort; conversion is given within a unit only',
        impressions: 'Σ cost.ad_spend.impressions in the period (by channel and day only: ad spend names no session, streamer or course)',
        roomEntries: 'visits = distinct (user, live session) with a live.room.entered in the period (an event without a user is its own visit)',
        productClicks: 'visits of roomEntries with a live.product.clicked in the same session (a subset)',
        orders:
          'the order cohort: distinct order ids whose first order.created lies in the period, plus orders first paid in the period that have no ' +
          `order.created at all (counted as created; paidWithoutCreated says how many: ${total?.paidWithoutCreated ?? 0} in the totals). ` +
          "An order's group is its attributed session / streamer / course / channel (that of its first order.paid once paid, else its order.created), " +
          'the same for created, paid, kept and refunded; its day is the day it entered the cohort',
        paid: 'orders of the cohort with an order.paid by asOf',
        kept:
          'paid orders with no refund by asOf whose refund window (payload.refundWindowDays, default ' +
          `${this.config.ledger.defaultRefundWindowDays} d) closed by asOf; pendingOrders = no refund by asOf, still inside the window; refundedOrders = with a refund by asOf`,
        unattributed: 'orders without a live session are grouped as "unattributed: no live session within the attribution window", as their revenue',
        conversion: 'step count / previous step count within the same unit (null for a unit change, a step not available for the dimension, or a zero denominator)',
        period: `[${period.from}, ${period.to}) by occurredAt`,
      },
    };
  }
}
