import { z } from 'zod';
import { COURSE_CATEGORIES, idSchema } from '@livepromo/contracts';

export const contentPlanBodySchema = z
  .object({
    courseId: idSchema.describe('the course to sell'),
    streamerId: idSchema.optional().describe("the streamer: interaction timing and questions come from this streamer's past sessions when there are enough"),
    category: z.enum(COURSE_CATEGORIES).optional().describe("the course's category when livepromo has not seen it yet (else taken from course.viewed)"),
    segment: z
      .object({
        segmentId: z.string().max(128).optional().describe('label echoed back (e.g. the user-profile segment id)'),
        userIds: z.array(idSchema).max(10000).optional().describe('members of the target segment (e.g. from GET /v1/segments/{id}/members)'),
        interests: z
          .partialRecord(z.enum(COURSE_CATEGORIES), z.number().min(0).max(1))
          .optional()
          .describe('interest weights by category (0..1) that scale topics of that category'),
      })
      .strict()
      .default({}),
    durationMin: z.number().int().min(20).max(300).default(90).describe('planned length of the live session in minutes'),
    questionLimit: z.number().int().min(1).max(50).default(10),
  })
  .strict();
export type ContentPlanBody = z.infer<typeof contentPlanBodySchema>;
