import { z } from 'zod';
import { THETA_KINDS } from '../domain/live-content-score';

const weight = z.number().finite().min(-1000).max(1000);

export const contentScoreWeightsBodySchema = z
  .object({
    theta: z.partialRecord(z.enum(THETA_KINDS), weight).optional().describe('θ_k per content element; missing ones take the defaults'),
    phi: weight.optional().describe('φ, weight of I = ln(1 + interactions per room entry)'),
  })
  .strict();
export type ContentScoreWeightsBody = z.infer<typeof contentScoreWeightsBodySchema>;
