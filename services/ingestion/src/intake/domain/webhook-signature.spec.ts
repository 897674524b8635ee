import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = Buffer.from('{"event":"live_like"}');
  const now = 1_764_324_000_000;
  const ts = String(now / 1000);

  it('signs HMAC-SHA256 over `${timestamp}.${body}` as sha256=<hex>', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.{"event":"live_like"}`).digest('hex');
    expect(signWebhook(secret, ts, body)).toBe(`sha256=${expected}`);
  });

  it('accepts a correct signature within the tolerance, with or without the sha256= prefix', () => {
    const sig = signWebhook(secret, ts, body);
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature: sig, rawBody: body, nowMs: now + 299_000, toleranceSec: 300 })).toEqual({ ok: true, timestampSec: now / 1000 });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature: sig.slice(7), rawBody: body, nowMs: now, toleranceSec: 300 }).ok).toBe(true);
  });

  it('refuses a body changed by one byte, another secret, or a truncated signature', () => {
    const sig = signWebhook(secret, ts, body);
    const check = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret, timestamp: ts, signature: sig, rawBody: body, nowMs: now, toleranceSec: 300, ...over });
    expect(check({ rawBody: Buffer.from('{"event":"live_likE"}') })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check({ secret: 'other' })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check({ signature: sig.slice(0, 20) })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a timestamp outside the tolerance in either direction (replay), and a malformed one', () => {
    const sig = signWebhook(secret, ts, body);
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature: sig, rawBody: body, nowMs: now + 301_000, toleranceSec: 300 })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature: sig, rawBody: body, nowMs: now - 301_000, toleranceSec: 300 })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhookSignature({ secret, timestamp: '2026-11-28', signature: sig, rawBody: body, nowMs: now, toleranceSec: 300 })).toMatchObject({ ok: false, reason: 'bad_timestamp' });
    expect(verifyWebhookSignature({ secret, timestamp: undefined, signature: sig, rawBody: body, nowMs: now, toleranceSec: 300 })).toMatchObject({ ok: false, reason: 'missing_headers' });
  });
});
