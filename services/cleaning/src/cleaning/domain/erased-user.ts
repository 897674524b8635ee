import { createHash } from 'node:crypto';

/** Tombstone key of an erased user: sha256(tenant ␀ user) in hex, so the tombstone holds no user id (same rule as user-profile's). */
export function erasedUserHash(tenantId: string, userId: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${userId}`, 'utf8').digest('hex');
}
