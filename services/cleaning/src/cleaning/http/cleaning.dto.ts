import { z } from 'zod';
import { idSchema } from '@livepromo/contracts';

const isoInstant = z.iso.datetime({ offset: true }).describe('ISO-8601 instant');

export const statsQuerySchema = z.object({
  from: isoInstant.optional().describe('window start (inclusive); default: `to` − 24 h'),
  to: isoInstant.optional().describe('window end (exclusive); default: now'),
});
export type StatsQuery = z.infer<typeof statsQuerySchema>;

export const dlqQuerySchema = z.object({
  reason: z.string().max(64).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  cursor: z
    .string()
    .regex(/^[^|]+\|.+$/, 'cursor from a previous page (nextCursor)')
    .transform((c): [string, string] => {
      const i = c.indexOf('|');
      return [c.slice(0, i), c.slice(i + 1)];
    })
    .refine(([at]) => !Number.isNaN(Date.parse(at)), 'cursor from a previous page (nextCursor)')
    .optional()
    .describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  includeReplayed: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type DlqQuery = z.infer<typeof dlqQuerySchema>;

export const replayBodySchema = z.object({
  ids: z.array(z.string().min(1).max(128)).min(1).max(500).describe('dead-letter ids to replay'),
});
export type ReplayBody = z.infer<typeof replayBodySchema>;

export const testAccountsBodySchema = z.object({
  userIds: z.array(idSchema).min(1).max(1000).describe('user ids to treat as test accounts (their events are counted, not published)'),
});
export type TestAccountsBody = z.infer<typeof testAccountsBodySchema>;

export const idParamSchema = idSchema;
