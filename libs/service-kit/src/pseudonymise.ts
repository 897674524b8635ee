import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonym of a user id: `p_` + the first 24 base64url chars (144 bits) of
 * HMAC-SHA256(tenant's pseudonym key, userId). Deterministic per tenant (the same user keeps one
 * pseudonym, so profiles and funnels still work), not reversible without the key, and different
 * across tenants. Ingestion applies it to events before anything is stored or published; every other
 * service applies it to raw user ids given to its routes (TenantAuthGuard), so erasure, profiles,
 * test accounts, segments, recommendations and plans find the same user.
 */
export function pseudonymiseUserId(key: string, userId: string): string {
  return `p_${createHmac('sha256', key).update(userId, 'utf8').digest('base64url').slice(0, 24)}`;
}

/** True for a value shaped like a pseudonym (so that applying pseudonymisation twice changes nothing). */
export function isPseudonym(userId: string): boolean {
  return /^p_[A-Za-z0-9_-]{24}$/.test(userId);
}
