import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonym of a user id: `p_` + the first 24 base64url chars (144 bits) of
 * HMAC-SHA256(tenant's pseudonym key, userId). Deterministic per tenant (the same user keeps one
 * pseudonym, so profiles and funnels still work), not reversible without the key, and different
 * across tenants. Applied once, at ingestion, before anything is stored or published.
 */
export function pseudonymiseUserId(key: string, userId: string): string {
  return `p_${createHmac('sha256', key).update(userId, 'utf8').digest('base64url').slice(0, 24)}`;
}
