import { Inject, Injectable } from '@nestjs/common';
import { analysePurchaseFactors, FactorAnalysis } from '../domain/purchase-factors';
import { AnalyticsRepository, Period } from '../infrastructure/analytics.repository';
import { ROI_CONFIG, RoiConfig } from '../roi.config';

export interface FactorReport extends FactorAnalysis {
  period: Period;
  sample: { visits: number; purchased: number; capped: boolean; maxSamples: number };
  computation: string;
}

/** What drives purchase: L2 logistic regression over (user, session) visits. */
@Injectable()
export class PurchaseFactorsUseCase {
  constructor(
    @Inject(AnalyticsRepository) private readonly analytics: AnalyticsRepository,
    @Inject(ROI_CONFIG) private readonly config: RoiConfig,
  ) {}

  async execute(tenantId: string, period: Period, lambda: number, level: number): Promise<FactorReport> {
    const max = this.config.factorMaxSamples;
    const visits = await this.analytics.visits(tenantId, period, max);
    const analysis = analysePurchaseFactors(visits, {
      tzOffsetMinutes: this.config.ledger.tzOffsetMinutes,
      minStreamerSamples: 30,
      maxStreamers: 5,
      lambda,
      level,
    });
    return {
      ...analysis,
      period,
      sample: { visits: visits.length, purchased: visits.filter((v) => v.purchased).length, capped: visits.length >= max, maxSamples: max },
      computation:
        'One sample per (user, live session) with a room entry in the period; label = a paid order attributed to that session ' +
        '(directly or by the attribution window). ' +
        (analysis.fit?.computation ?? ''),
    };
  }
}
