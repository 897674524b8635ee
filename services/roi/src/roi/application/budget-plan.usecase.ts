import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { BreakEvenOffer, breakEvenOffer, BudgetChannel, BudgetPlan, fitLogCurve, LogCurve, marginalReturn, planBudget } from '../domain/response-curve';
import { AnalyticsRepository, Period } from '../infrastructure/analytics.repository';

export interface BudgetPlanCommand {
  tenantId: string;
  period: Period;
  totalBudgetMinor: number;
  bounds: Record<string, { minMinor?: number; maxMinor?: number }>;
  /** Stop at marginal ROI = 1 instead of spending the whole budget (default false). */
  stopAtBreakEven?: boolean;
}

export interface ChannelCurve {
  channel: string;
  curve: LogCurve | null;
  days: number;
  averageDailySpendMinor: number;
  averageDailyRevenueMinor: number;
  marginalRoiAtCurrentSpend: number | null;
  excludedReason?: string;
}

export interface BudgetPlanReport {
  period: Period;
  curves: ChannelCurve[];
  /** The plan followed: the whole budget, or the break-even stop when stopAtBreakEven is true and the marginal ROI falls below 1. */
  plan: BudgetPlan | null;
  /** Whether `plan` is the break-even stop. */
  stoppedAtBreakEven: boolean;
  /** The full-budget plan (equal to `plan` unless stopped at break-even). */
  fullBudgetPlan: BudgetPlan | null;
  /** Where the full plan's marginal ROI falls below 1: the break-even stop and what the rest of the budget would buy (null otherwise). */
  breakEven: BreakEvenOffer | null;
  channelsWithMarginalRoiBelowOne: { channel: string; marginalRoi: number; averageDailySpendMinor: number }[];
  computation: Record<string, string>;
}

/** Cost control: response curves per channel, a budget plan for a daily budget, channels not worth their next yuan. */
@Injectable()
export class BudgetPlanUseCase {
  constructor(@Inject(AnalyticsRepository) private readonly analytics: AnalyticsRepository) {}

  async execute(cmd: BudgetPlanCommand): Promise<BudgetPlanReport> {
    const days = await this.analytics.channelDays(cmd.tenantId, cmd.period);
    const byChannel = new Map<string, { spend: number; revenue: number }[]>();
    for (const d of days) {
      const list = byChannel.get(d.channel) ?? [];
      list.push({ spend: d.spend, revenue: d.revenue });
      byChannel.set(d.channel, list);
    }
    const curves: ChannelCurve[] = [...byChannel.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([channel, pts]) => {
        const avgSpend = pts.reduce((s, p) => s + p.spend, 0) / pts.length;
        const avgRevenue = pts.reduce((s, p) => s + p.revenue, 0) / pts.length;
        const base = {
          channel,
          days: pts.length,
          averageDailySpendMinor: Math.round(avgSpend),
          averageDailyRevenueMinor: Math.round(avgRevenue),
        };
        if (new Set(pts.map((p) => p.spend)).size < 3)
          return { ...base, curve: null, marginalRoiAtCurrentSpend: null, excludedReason: 'fewer than 3 distinct daily spend levels' };
        const curve = fitLogCurve(pts);
        return { ...base, curve, marginalRoiAtCurrentSpend: marginalReturn(curve, avgSpend) };
      });
    const fitted = curves.filter((c): c is ChannelCurve & { curve: LogCurve } => c.curve !== null);
    for (const ch of Object.keys(cmd.bounds)) {
      if (!fitted.some((c) => c.channel === ch))
        throw new DomainError(ErrorCode.ValidationFailed, `bounds name channel "${ch}" which has no fitted response curve in the period`);
    }
    let plan: BudgetPlan | null = null;
    let breakEven: BreakEvenOffer | null = null;
    if (fitted.length > 0) {
      try {
        const channels: BudgetChannel[] = fitted.map((c) => ({
          channel: c.channel,
          curve: c.curve,
          min: cmd.bounds[c.channel]?.minMinor ?? 0,
          max: cmd.bounds[c.channel]?.maxMinor ?? cmd.totalBudgetMinor,
        }));
        plan = planBudget(channels, cmd.totalBudgetMinor);
        breakEven = breakEvenOffer(channels, plan);
      } catch (e) {
        if (e instanceof RangeError) throw new DomainError(ErrorCode.ValidationFailed, e.message);
        throw e;
      }
    }
    const stop = !!cmd.stopAtBreakEven && breakEven !== null;
    return {
      period: cmd.period,
      curves,
      plan: stop ? breakEven!.plan : plan,
      stoppedAtBreakEven: stop,
      fullBudgetPlan: plan,
      breakEven,
      channelsWithMarginalRoiBelowOne: fitted
        .filter((c) => (c.marginalRoiAtCurrentSpend ?? Infinity) < 1)
        .map((c) => ({ channel: c.channel, marginalRoi: c.marginalRoiAtCurrentSpend!, averageDailySpendMinor: c.averageDailySpendMinor })),
      computation: {
        points: 'one point per channel and local day with ad spend: (Σ cost.ad_spend, Σ net revenue of rows carrying that channel)',
        curve:
          'r(s) = a·ln(1 + s/b), least squares: a closed-form for each b, b by log-grid + golden-section search; channels need ≥ 3 distinct daily spends',
        marginalRoi:
          "dr/ds = a/(b + s) at the channel's average daily spend; below 1 the next yuan of spend returns less than a yuan of revenue",
        plan:
          'totalBudgetMinor is a daily budget; default bounds per channel [0, total]. ' +
          (plan?.computation ?? 'no channel could be fitted'),
        breakEven:
          'offered when the full plan\'s marginal ROI λ is below 1: ' +
          (breakEven?.computation ?? 'not needed here (marginal ROI stays ≥ 1, or no plan)') +
          '. stopAtBreakEven (default false) makes the break-even stop the plan; the rest of the budget is then left unspent.',
      },
    };
  }
}
