import { z } from 'zod';
import { COURSE_CATEGORIES, idSchema } from '@livepromo/contracts';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  diversify: bool,
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const courseQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  category: z.enum(COURSE_CATEGORIES).optional().describe('course category, when the course has no events yet or to override it'),
});
export type CourseQuery = z.infer<typeof courseQuerySchema>;

export const segmentBodySchema = z
  .object({
    userIds: z.array(idSchema).max(10000).optional().describe('members of the segment'),
    interests: z
      .partialRecord(z.enum(COURSE_CATEGORIES), z.number().min(0).max(1e6))
      .optional()
      .describe('an interest vector by category (added to the members’ mean interest)'),
    limit: z.number().int().min(1).max(100).default(10),
    diversify: z.boolean().default(false),
  })
  .refine((b) => (b.userIds?.length ?? 0) > 0 || Object.values(b.interests ?? {}).some((v) => (v ?? 0) > 0), {
    message: 'give userIds or a non-zero interests vector',
  });
export type SegmentBody = z.infer<typeof segmentBodySchema>;

export const idParamSchema = idSchema;
