import { Body, Controller, Get, Header, Inject, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, ErrorCode, openApiSchema, TenantAuthGuard, TenantId, ZodValidationPipe } from '@livepromo/service-kit';
import { AbReport, AbTestUseCase } from '../application/ab-test.usecase';
import { BudgetPlanReport, BudgetPlanUseCase } from '../application/budget-plan.usecase';
import { FactorReport, PurchaseFactorsUseCase } from '../application/purchase-factors.usecase';
import { FunnelReport, RoiReport, RoiReportUseCase } from '../application/roi-report.usecase';
import { toCsv } from '../domain/csv';
import { barChartSvg } from '../domain/svg-chart';
import {
  AbTestBody,
  abTestBodySchema,
  BudgetPlanBody,
  budgetPlanBodySchema,
  FactorsQuery,
  factorsQuerySchema,
  FunnelQuery,
  funnelQuerySchema,
  ChartQuery,
  chartQuerySchema,
  ReportQuery,
  reportQuerySchema,
  resolvePeriod,
} from './roi.dto';

function period(q: { from?: string; to?: string }): { from: string; to: string } {
  const p = resolvePeriod(q);
  if (typeof p === 'string') throw new DomainError(ErrorCode.ValidationFailed, p);
  return p;
}

const DIMENSION_QUERY = { name: 'dimension', required: false, enum: ['session', 'streamer', 'course', 'channel', 'day', 'all'] };

@ApiTags('roi')
@ApiBearerAuth('tenant-key')
@UseGuards(TenantAuthGuard)
@Controller('roi')
export class RoiController {
  constructor(
    @Inject(RoiReportUseCase) private readonly reports: RoiReportUseCase,
    @Inject(PurchaseFactorsUseCase) private readonly factors: PurchaseFactorsUseCase,
    @Inject(BudgetPlanUseCase) private readonly budget: BudgetPlanUseCase,
    @Inject(AbTestUseCase) private readonly ab: AbTestUseCase,
  ) {}

  @Get('reports')
  @ApiOperation({
    summary: 'ROI report by session, streamer, course, channel or day for a period (JSON or CSV)',
    description:
      'From the ledger rows whose occurredAt lies in [from, to): R = paid − refunded (split into attributed = session on the event, ' +
      'influenced = last live room the user entered within the attribution window, unattributed), C = ad spend + streamer fee + ' +
      'commission (rate × attributed paid/refunded amount, rounded per row) + platform fee + coupon cost; ROI = R / C, ad ROI = R / ad spend, ' +
      'net profit = R − C, break-even ad ROI = R / (R − non-ad costs), cost per paid order = C / paid orders, CAC = C / distinct paying users; ' +
      'traffic: clean room entries, and the bot traffic cleaning kept out of the sessions in scope (its cumulative per-session counts ' +
      'from events.quality.v1): botRoomEntries, rawRoomEntries = entries + botRoomEntries, botShareOfRoomEntries, botEvents, botUsers. ' +
      'Money in integer minor units. ' +
      'Rows sorted by net revenue; `totals` is the whole period; `computation` carries every formula and the row counts.',
  })
  @ApiQuery(DIMENSION_QUERY)
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiOkResponse({ description: '{ dimension, period, rows, totals, computation } or text/csv' })
  async report(
    @TenantId() tenantId: string,
    @Query(new ZodValidationPipe(reportQuerySchema, 'query')) q: ReportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RoiReport | string> {
    const r = await this.reports.report(tenantId, q.dimension, period(q), q.limit);
    if (q.format === 'csv') {
      res.type('text/csv');
      // dimension=all: the single row is the total, written once
      const rows = r.dimension === 'all' ? [{ ...r.totals, key: 'TOTAL' }] : [...r.rows, { ...r.totals, key: 'TOTAL' }];
      return toCsv(rows.map((x) => ({ dimension: r.dimension, from: r.period.from, to: r.period.to, ...x })));
    }
    return r;
  }

  @Get('funnel')
  @ApiOperation({
    summary: 'Conversion funnel: impressions → room entries → product clicks → orders → paid → kept after the refund window',
    description:
      'Two chains, each one cohort (no step exceeds the previous): visits = distinct (user, live session) with a room entry in [from, to) ⊇ ' +
      'visits with a product click; orders = order ids first created in the period (plus orders paid without any order.created, counted and ' +
      'reported as paidWithoutCreated) ⊇ paid by asOf ⊇ kept (no refund by asOf, refund window closed by asOf). An order is grouped by its ' +
      'attributed session/streamer/course/channel for every step. Impressions (ad reach) by channel and day only; visit steps are null for ' +
      'the channel dimension (room entries carry no channel), with the reason in notAvailable. Conversion = step / previous step within a unit.',
  })
  @ApiQuery(DIMENSION_QUERY)
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiOkResponse({ description: '{ dimension, period, asOf, rows: [{ key, counts…, steps }], totals, computation } or text/csv' })
  async funnel(
    @TenantId() tenantId: string,
    @Query(new ZodValidationPipe(funnelQuerySchema, 'query')) q: FunnelQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FunnelReport | string> {
    const r = await this.reports.funnel(tenantId, q.dimension, period(q), q.asOf ?? new Date().toISOString(), q.limit);
    if (q.format === 'csv') {
      res.type('text/csv');
      const rows = r.dimension === 'all' ? [{ ...r.totals, key: 'TOTAL' }] : [...r.rows, { ...r.totals, key: 'TOTAL' }];
      return toCsv(
        rows.map(({ steps, notAvailable, ...c }) => ({
          dimension: r.dimension,
          asOf: r.asOf,
          ...c,
          ...Object.fromEntries(steps.map((s) => [`conversion:${s.step}`, s.conversionFromPrevious])),
          notAvailable: notAvailable ? Object.entries(notAvailable).map(([k, v]) => `${k}: ${v}`) : null,
        })),
      );
    }
    return r;
  }

  @Get('charts/roi.svg')
  @Header('Content-Type', 'image/svg+xml')
  @ApiOperation({
    summary: 'SVG chart of ROI by day (or by another dimension) with the break-even line',
    description:
      'Bars = ROI = R / C per group of the report for [from, to) (n/a where C = 0); dashed line = break-even ROI 1. Same figures as /roi/reports.',
  })
  @ApiQuery({ name: 'dimension', required: false, enum: ['day', 'session', 'streamer', 'course', 'channel'] })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({ description: 'image/svg+xml' })
  async roiChart(@TenantId() tenantId: string, @Query(new ZodValidationPipe(chartQuerySchema, 'query')) q: ChartQuery): Promise<string> {
    const p = period(q);
    const r = await this.reports.report(tenantId, q.dimension, p, 60);
    const rows = q.dimension === 'day' ? [...r.rows].sort((a, b) => (a.key < b.key ? -1 : 1)) : r.rows;
    return barChartSvg(
      `ROI by ${q.dimension}, ${p.from.slice(0, 10)} – ${p.to.slice(0, 10)}`,
      rows.map((x) => ({ label: x.key, value: x.roi })),
      {
        referenceLine: { value: 1, label: 'break-even ROI 1' },
        footnote: `ROI = (paid − refunded) / (ad + streamer fee + commission + platform fee + coupon); total ROI ${r.totals.roi === null ? 'n/a' : r.totals.roi.toFixed(2)}`,
      },
    );
  }

  @Get('charts/funnel.svg')
  @Header('Content-Type', 'image/svg+xml')
  @ApiOperation({
    summary: 'SVG chart of the funnel for the whole period, with step conversion',
    description:
      'Bars = the counts of /roi/funnel totals (impressions → room entries → clicks → orders → paid → kept), labelled with the conversion from the previous step.',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({ description: 'image/svg+xml' })
  async funnelChart(@TenantId() tenantId: string, @Query(new ZodValidationPipe(chartQuerySchema, 'query')) q: ChartQuery): Promise<string> {
    const p = period(q);
    const f = await this.reports.funnel(tenantId, 'all', p, new Date().toISOString(), 1);
    return barChartSvg(
      `Funnel, ${p.from.slice(0, 10)} – ${p.to.slice(0, 10)}`,
      f.totals.steps.map((s) => ({
        label: s.step,
        value: s.count,
        note: `${s.count}${s.conversionFromPrevious === null ? '' : ` (${(s.conversionFromPrevious * 100).toFixed(1)}%)`}`,
      })),
      { footnote: 'conversion = step / previous step; kept = paid, not refunded, refund window closed' },
    );
  }

  @Get('factors')
  @ApiOperation({
    summary: 'Which factors drive purchase: L2-regularised logistic regression with odds ratios and confidence intervals',
    description:
      'One sample per (user, live session) visit in [from, to); label = a paid order attributed to that session. Factors: ln(1 + watch minutes), ' +
      'commented, coupon claimed (discount), lottery joined (interaction strategy), evening slot, weekend, frequent streamers vs the most frequent one. ' +
      'IRLS on the penalised log-likelihood (λ on standardised coefficients), SE from the inverse penalised Hessian, CI = β ± z·SE, OR = exp(β). ' +
      'The default λ = 1 is a penalised (ridge) fit; ?lambda=0 gives the unpenalised maximum-likelihood logit. Above ROI_FACTOR_MAX_SAMPLES visits a seeded random sample is used (seed in the answer). ' +
      'Returns the sample size and the reason when no fit is possible.',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'lambda', required: false, description: 'default 1 = penalised (ridge) fit; 0 = unpenalised maximum likelihood' })
  @ApiQuery({ name: 'level', required: false })
  @ApiQuery({ name: 'seed', required: false, description: 'seed of the random sample when visits exceed ROI_FACTOR_MAX_SAMPLES' })
  @ApiOkResponse({
    description:
      '{ fit: { intercept, coefficients: [{ name, coefficient, standardError, oddsRatio, ci, oddsRatioCi, z }], n, … }, design, sample, computation }',
  })
  async factorAnalysis(
    @TenantId() tenantId: string,
    @Query(new ZodValidationPipe(factorsQuerySchema, 'query')) q: FactorsQuery,
  ): Promise<FactorReport> {
    return this.factors.execute(tenantId, period(q), q.lambda, q.level, q.seed);
  }

  @Post('budget-plan')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Budget plan: per-channel response curves, the allocation of a daily budget, and channels whose marginal ROI is below 1',
    description:
      'Daily points (ad spend, net revenue of that channel) per channel in [from, to); r(s) = a·ln(1 + s/b) by least squares; the plan maximises ' +
      'Σ r_i(s_i) with Σ s_i = totalBudgetMinor and per-channel bounds by equalising marginal returns a/(b + s) (KKT, bisection on λ). ' +
      'Channels whose marginal ROI at their current average daily spend is below 1 are listed. Where the plan\'s marginal ROI falls below 1, ' +
      '`breakEven` offers to stop at marginal ROI = 1 and says what the rest of the budget would buy (expected revenue and ROI of the remainder); ' +
      'stopAtBreakEven: true makes that the plan (default false: the whole budget is spent).',
  })
  @ApiBody({ schema: openApiSchema(budgetPlanBodySchema) })
  @ApiOkResponse({
    description: '{ curves, plan: { allocations, predictedRevenue, lambda }, channelsWithMarginalRoiBelowOne, computation }',
  })
  async budgetPlan(
    @TenantId() tenantId: string,
    @Body(new ZodValidationPipe(budgetPlanBodySchema, 'body')) body: BudgetPlanBody,
  ): Promise<BudgetPlanReport> {
    return this.budget.execute({
      tenantId,
      period: period(body),
      totalBudgetMinor: body.totalBudgetMinor,
      bounds: body.bounds,
      stopAtBreakEven: body.stopAtBreakEven,
    });
  }

  @Post('ab-test')
  @ApiOperation({
    summary: 'Compare the conversion of two groups (sessions, streamers, channels, periods): Newcombe interval, z-test or Fisher exact test',
    description:
      'Each group is { dimension, keys, from, to } (trials = distinct users who entered a live room of the group, conversions = those with a paid ' +
      'order attributed to it) or given counts { trials, conversions }. Returns the difference with Newcombe\'s hybrid score interval ' +
      '(from Wilson intervals; significant iff it excludes 0), the p-value of the pooled z-test or, when an expected cell count is below 5, ' +
      "of Fisher's exact test (testUsed says which), and the minimum detectable effect at α and power (solved numerically; powerAtMde checks it).",
  })
  @ApiBody({ schema: openApiSchema(abTestBodySchema) })
  @ApiOkResponse({
    description: '{ groups, test: { difference, z, pValue, confidenceInterval, minimumDetectableEffect, … }, computation }',
  })
  async abTest(@TenantId() tenantId: string, @Body(new ZodValidationPipe(abTestBodySchema, 'body')) body: AbTestBody): Promise<AbReport> {
    for (const g of [body.a, body.b])
      if ('from' in g && typeof resolvePeriod(g) === 'string')
        throw new DomainError(ErrorCode.ValidationFailed, `group period: ${resolvePeriod(g) as string}`);
    return this.ab.execute(tenantId, body.a, body.b, body.alpha, body.power);
  }
}
