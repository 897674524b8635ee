import { z } from 'zod';
import { COURSE_CATEGORIES, idSchema } from '@livepromo/contracts';
import { DELTA_KINDS } from '../domain/streamer-score';

const weight = z.number().finite().min(-1000).max(1000);

export const streamerScoreWeightsBodySchema = z
  .object({
    delta: z.partialRecord(z.enum(DELTA_KINDS), weight).optional().describe('δ_j per content feature; missing ones take the defaults'),
    epsilon: weight.optional().describe('ε, weight of B (paid orders per 100 room entries, shrunk)'),
  })
  .strict();
export type StreamerScoreWeightsBody = z.infer<typeof streamerScoreWeightsBodySchema>;

export const streamerScoresQuerySchema = z
  .object({
    courseId: idSchema.optional().describe('score the fit to this course’s category'),
    category: z.enum(COURSE_CATEGORIES).optional().describe('score the fit to this category (a courseId wins)'),
    limit: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export type StreamerScoresQuery = z.infer<typeof streamerScoresQuerySchema>;
