import { Inject, Injectable } from '@nestjs/common';
import { analysePurchaseFactors, FactorAnalysis } from '../domain/purchase-factors';
import { AnalyticsRepository, Period } from '../infrastructure/analytics.repository';
import { ROI_CONFIG, RoiConfig } from '../roi.config';

export interface FactorReport extends FactorAnalysis {
  period: Period;
  sample: {
    visits: number;
    purchased: number;
    /** Visits in the period before the cap. */
    totalVisits: number;
    capped: boolean;
    maxSamples: number;
    /** Seed of the random sample (md5 order of (user, session, seed)); the same seed gives the same sample. */
    seed: number;
    method: string;
  };
  /** Plain statement of the penalty: the default λ = 1 is a penalised (ridge) fit, λ = 0 is plain maximum likelihood. */
  penalty: { lambda: number; penalised: boolean; note: string };
  computation: string;
}

/** What drives purchase: L2 logistic regression over (user, session) visits. */
@Injectable()
export class PurchaseFactorsUseCase {
  constructor(
    @Inject(AnalyticsRepository) private readonly analytics: AnalyticsRepository,
    @Inject(ROI_CONFIG) private readonly config: RoiConfig,
  ) {}

  async execute(tenantId: string, period: Period, lambda: number, level: number, seed?: number): Promise<FactorReport> {
    const max = this.config.factorMaxSamples;
    const s = seed ?? this.config.factorSampleSeed;
    const { samples: visits, totalVisits } = await this.analytics.visits(tenantId, period, max, s);
    const analysis = analysePurchaseFactors(visits, {
      tzOffsetMinutes: this.config.ledger.tzOffsetMinutes,
      minStreamerSamples: 30,
      maxStreamers: 5,
      lambda,
      level,
    });
    const capped = totalVisits > visits.length;
    const penalty =
      lambda > 0
        ? {
            lambda,
            penalised: true,
            note:
              `a penalised (L2 / ridge) fit with λ = ${lambda}${lambda === 1 ? ' (the default)' : ''} on standardised coefficients: ` +
              'coefficients are shrunk towards 0 and SEs come from the penalised Hessian; ask ?lambda=0 for the unpenalised maximum-likelihood logit',
          }
        : { lambda, penalised: false, note: 'λ = 0: the unpenalised maximum-likelihood logistic regression' };
    return {
      ...analysis,
      period,
      sample: {
        visits: visits.length,
        purchased: visits.filter((v) => v.purchased).length,
        totalVisits,
        capped,
        maxSamples: max,
        seed: s,
        method: capped
          ? `random sample of ${visits.length} of ${totalVisits} visits without replacement: visits ordered by md5(user, session, seed = ${s}) and cut at ROI_FACTOR_MAX_SAMPLES`
          : `all ${totalVisits} visits of the period`,
      },
      penalty,
      computation:
        `${penalty.note}. ` +
        'One sample per (user, live session) with a room entry in the period; label = a paid order attributed to that session ' +
        '(directly or by the attribution window). ' +
        (analysis.fit?.computation ?? ''),
    };
  }
}
