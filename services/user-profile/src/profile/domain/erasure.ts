import { createHash } from 'node:crypto';

/** Tombstone key of an erased user: sha256(tenant ␀ user), so the tombstone holds no user id. */
export function erasedUserHash(tenantId: string, userId: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${userId}`, 'utf8').digest('hex');
}
