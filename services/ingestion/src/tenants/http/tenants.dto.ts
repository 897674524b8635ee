import { z } from 'zod';
import { tenantIdSchema } from '@livepromo/contracts';

export const createTenantSchema = z
  .object({
    tenantId: tenantIdSchema,
    name: z.string().min(1).max(256),
    pseudonymiseUserIds: z.boolean().default(false).describe('replace userId by a keyed hash (per tenant) before anything is stored or published'),
    keyLabel: z.string().max(128).optional().describe('label of the first API key (default "default")'),
  })
  .strict();
export type CreateTenantBody = z.infer<typeof createTenantSchema>;

export const createKeySchema = z.object({ label: z.string().max(128).optional() }).strict();
export type CreateKeyBody = z.infer<typeof createKeySchema>;

export const tenantParamSchema = tenantIdSchema;
export const keyIdParamSchema = z.string().regex(/^[\w-]{1,64}$/, 'a key id');
