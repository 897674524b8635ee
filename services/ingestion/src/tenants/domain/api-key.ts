import { randomBytes } from 'node:crypto';
import { hashApiKey } from '@livepromo/service-kit';

/** A freshly minted API key: the clear key is shown once, only its sha256 is stored and published. */
export interface MintedKey {
  keyId: string;
  key: string;
  keyHash: string;
}

/** `lp_<tenant>_<43 chars of base64url randomness>` (256 bits); the keyId is random and public. */
export function mintApiKey(tenantId: string): MintedKey {
  const key = `lp_${tenantId}_${randomBytes(32).toString('base64url')}`;
  return { keyId: `k_${randomBytes(9).toString('base64url')}`, key, keyHash: hashApiKey(key) };
}

/** A webhook signing secret (256 bits, base64url). Kept usable (not hashed) because HMAC needs it. */
export function mintWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
