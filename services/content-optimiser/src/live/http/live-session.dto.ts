import { z } from 'zod';
import { idSchema } from '@livepromo/contracts';
import { COURSE_CATEGORIES } from '@livepromo/contracts';
import { TRIGGERS } from '../domain/detectors';

export const feedbackBodySchema = z.object({
  decision: z.enum(['accepted', 'ignored']).describe('accepted: the strategy was used on air; ignored: it was not'),
});
export type FeedbackBody = z.infer<typeof feedbackBodySchema>;

export const sessionIdParam = idSchema;

export const stateQuerySchema = z.object({
  history: z.coerce.number().int().min(1).max(50).default(1).describe('how many latest windows of each length to return'),
});

export const armsQuerySchema = z.object({
  category: z.enum([...COURSE_CATEGORIES, 'uncategorised']).optional(),
  trigger: z.enum(TRIGGERS).optional(),
});

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('how many sessions'),
});
