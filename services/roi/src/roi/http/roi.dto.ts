import { z } from 'zod';
import { idSchema, isoTimestampSchema } from '@livepromo/contracts';
import { DIMENSIONS } from '../domain/dimensions';

const DAY_MS = 86_400_000;
const MAX_SPAN_DAYS = 366;

const periodShape = {
  from: isoTimestampSchema.optional().describe('start of the period, inclusive (default: to − 30 days)'),
  to: isoTimestampSchema.optional().describe('end of the period, exclusive (default: now)'),
};

/** Resolves defaults and checks from < to and a span of at most a year. */
export function resolvePeriod(q: { from?: string; to?: string }, now = Date.now()): { from: string; to: string } | string {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : to - 30 * DAY_MS;
  if (!(from < to)) return 'from must be before to';
  if (to - from > MAX_SPAN_DAYS * DAY_MS) return `the period may span at most ${MAX_SPAN_DAYS} days`;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

export const reportQuerySchema = z.object({
  dimension: z.enum(DIMENSIONS).default('session'),
  ...periodShape,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const funnelQuerySchema = reportQuerySchema.extend({
  asOf: isoTimestampSchema.optional().describe('instant at which refund windows are judged closed (default: now)'),
});
export type FunnelQuery = z.infer<typeof funnelQuerySchema>;

export const factorsQuerySchema = z.object({
  ...periodShape,
  lambda: z.coerce
    .number()
    .min(0)
    .max(1e6)
    .default(1)
    .describe('L2 penalty on standardised coefficients; the default 1 is a penalised (ridge) fit, 0 gives the unpenalised maximum-likelihood logit'),
  seed: z.coerce.number().int().min(0).max(2 ** 31).optional().describe('seed of the random sample when visits exceed the cap (default ROI_FACTOR_SAMPLE_SEED)'),
  level: z.coerce.number().min(0.5).max(0.999).default(0.95).describe('confidence level of the intervals'),
});
export type FactorsQuery = z.infer<typeof factorsQuerySchema>;

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const budgetPlanBodySchema = z
  .object({
    ...periodShape,
    totalBudgetMinor: minor.describe('daily budget to allocate, integer minor units'),
    stopAtBreakEven: z
      .boolean()
      .default(false)
      .describe('false (default): spend the whole budget; true: stop where the marginal ROI falls to 1 (break-even) and leave the rest unspent'),
    bounds: z
      .record(z.string().min(1).max(64), z.object({ minMinor: minor.optional(), maxMinor: minor.optional() }).strict())
      .default({})
      .describe('per-channel daily bounds (default [0, total])'),
  })
  .strict();
export type BudgetPlanBody = z.infer<typeof budgetPlanBodySchema>;

const groupSchema = z.union([
  z
    .object({
      label: z.string().max(64).optional(),
      dimension: z.enum(['session', 'streamer', 'course', 'channel', 'day']),
      keys: z.array(idSchema).min(1).max(1000),
      from: isoTimestampSchema,
      to: isoTimestampSchema,
    })
    .strict(),
  z
    .object({ label: z.string().max(64).optional(), trials: z.number().int().min(1), conversions: z.number().int().min(0) })
    .strict()
    .refine((g) => g.conversions <= g.trials, { message: 'conversions must not exceed trials' }),
]);

export const abTestBodySchema = z
  .object({
    a: groupSchema,
    b: groupSchema,
    alpha: z.number().gt(0).lt(0.5).default(0.05),
    power: z.number().gt(0.5).lt(1).default(0.8),
  })
  .strict();
export type AbTestBody = z.infer<typeof abTestBodySchema>;

export const chartQuerySchema = z.object({
  dimension: z.enum(['day', 'session', 'streamer', 'course', 'channel']).default('day'),
  ...periodShape,
});
export type ChartQuery = z.infer<typeof chartQuerySchema>;
