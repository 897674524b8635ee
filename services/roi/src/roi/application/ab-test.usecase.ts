import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import type { Dimension } from '../domain/dimensions';
import { TwoProportionResult, twoProportionTest } from '../domain/ab-test';
import { AnalyticsRepository } from '../infrastructure/analytics.repository';

export type AbGroupSpec =
  | { label?: string; dimension: Exclude<Dimension, 'all'>; keys: string[]; from: string; to: string }
  | { label?: string; trials: number; conversions: number };

export interface AbReport {
  groups: { label: string; spec: AbGroupSpec; trials: number; conversions: number }[];
  test: TwoProportionResult;
  computation: string;
}

/** Effect evaluation: two groups (sessions, streamers, periods …) compared on conversion. */
@Injectable()
export class AbTestUseCase {
  constructor(@Inject(AnalyticsRepository) private readonly analytics: AnalyticsRepository) {}

  async execute(tenantId: string, a: AbGroupSpec, b: AbGroupSpec, alpha: number, power: number): Promise<AbReport> {
    const [ga, gb] = await Promise.all([this.counts(tenantId, a), this.counts(tenantId, b)]);
    if (ga.n === 0 || gb.n === 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'each group needs at least one trial (a user who entered a room of the group in its period)',
        { details: { a: ga, b: gb } },
      );
    }
    return {
      groups: [
        { label: a.label ?? 'A', spec: a, trials: ga.n, conversions: ga.x },
        { label: b.label ?? 'B', spec: b, trials: gb.n, conversions: gb.x },
      ],
      test: twoProportionTest(ga, gb, alpha, power),
      computation:
        'conversion = distinct users with a paid order attributed to the group ÷ distinct users who entered a live room of the group, ' +
        'both within the group period (or the counts given). ' +
        'Groups may overlap; the test assumes independent samples.',
    };
  }

  private async counts(tenantId: string, g: AbGroupSpec): Promise<{ n: number; x: number }> {
    if ('trials' in g) return { n: g.trials, x: g.conversions };
    return this.analytics.conversionGroup(tenantId, g.dimension, g.keys, { from: g.from, to: g.to });
  }
}
