import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck =
  | { ok: true; timestampSec: number }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature'; message: string };

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${rawBody}`): what a sender puts in X-Livepromo-Signature. */
export function signWebhook(secret: string, timestampSec: number | string, rawBody: Buffer | string): string {
  const h = createHmac('sha256', secret);
  h.update(`${timestampSec}.`, 'utf8');
  h.update(rawBody);
  return `sha256=${h.digest('hex')}`;
}

/**
 * Verifies a signed webhook: the timestamp (unix seconds) must be within `toleranceSec` of `nowMs`
 * (either direction: replays of old captures are refused) and the signature (`sha256=<hex>` or bare hex)
 * must equal HMAC-SHA256(secret, `${timestamp}.${rawBody}`), compared in constant time.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
  toleranceSec: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers', message: 'X-Livepromo-Timestamp and X-Livepromo-Signature are required' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp', message: 'X-Livepromo-Timestamp must be unix seconds' };
  const ts = Number(timestamp);
  const skew = Math.abs(input.nowMs / 1000 - ts);
  if (skew > input.toleranceSec) {
    return { ok: false, reason: 'stale_timestamp', message: `timestamp is ${Math.round(skew)} s away from now; the tolerance is ${input.toleranceSec} s` };
  }
  const given = signature.startsWith('sha256=') ? signature.slice(7) : signature;
  const expected = signWebhook(input.secret, timestamp, input.rawBody).slice(7);
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // compare equal-length buffers only; a length mismatch still costs one constant-time compare
  const same = a.length === b.length ? timingSafeEqual(a, b) : (timingSafeEqual(b, b), false);
  if (!same) return { ok: false, reason: 'bad_signature', message: 'signature does not match HMAC-SHA256(secret, `${timestamp}.${body}`)' };
  return { ok: true, timestampSec: ts };
}
