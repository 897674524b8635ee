import { z } from 'zod';
import { idSchema, isoTimestampSchema } from '@livepromo/contracts';
import { ALPHA_KINDS } from '../domain';

const weight = z.number().finite().min(-1000).max(1000);

export const scoreWeightsBodySchema = z
  .object({
    alpha: z.partialRecord(z.enum(ALPHA_KINDS), weight).optional().describe('α_k per interaction kind; missing kinds take the defaults'),
    beta: weight.optional().describe('β, weight of y = ln(1 + decayed paid orders)'),
    gamma: weight.optional().describe('γ, weight of t = ln(1 + decayed watch hours)'),
  })
  .strict();
export type ScoreWeightsBody = z.infer<typeof scoreWeightsBodySchema>;

export const asOfQuerySchema = z.object({
  asOf: isoTimestampSchema.optional().describe('evaluate decay and recency at this instant (default: now)'),
});

export const membersQuerySchema = asOfQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(400).optional().describe('nextCursor of the previous page'),
});

export const userIdParamSchema = idSchema;
export const segmentIdParamSchema = z.string().min(1).max(64);

export function asOfMs(asOf: string | undefined): number {
  return asOf ? Date.parse(asOf) : Date.now();
}
