import { createHash } from 'node:crypto';
import { canonicalJson } from '@livepromo/contracts';
import { contentFingerprint, FingerprintInput } from './fingerprint';

const base: FingerprintInput = {
  tenantId: 't1',
  type: 'live.comment.posted',
  userId: 'u1',
  liveSessionId: 'ls1',
  occurredAtMs: 1_000_000,
  payload: { text: 'hi', lang: 'zh' },
};

describe('contentFingerprint', () => {
  it('is equal for the same content whatever the key order and within one time bucket', () => {
    const a = contentFingerprint(base, 2000);
    expect(contentFingerprint({ ...base, payload: { lang: 'zh', text: 'hi' } }, 2000)).toBe(a);
    // 1_000_000 and 1_001_999 are both in bucket 500 of 2000 ms
    expect(contentFingerprint({ ...base, occurredAtMs: 1_001_999 }, 2000)).toBe(a);
    expect(a).toHaveLength(24);
  });

  it('differs by tenant, type, user, session, payload and bucket', () => {
    const a = contentFingerprint(base, 2000);
    expect(contentFingerprint({ ...base, tenantId: 't2' }, 2000)).not.toBe(a);
    expect(contentFingerprint({ ...base, type: 'live.like' }, 2000)).not.toBe(a);
    expect(contentFingerprint({ ...base, userId: 'u2' }, 2000)).not.toBe(a);
    expect(contentFingerprint({ ...base, liveSessionId: 'ls2' }, 2000)).not.toBe(a);
    expect(contentFingerprint({ ...base, payload: { text: 'hi!', lang: 'zh' } }, 2000)).not.toBe(a);
    expect(contentFingerprint({ ...base, occurredAtMs: 1_002_000 }, 2000)).not.toBe(a);
  });

  it('on exact-time types, tells a repeat half a second later from a re-send with the original time', () => {
    const like = { ...base, type: 'live.like', payload: { count: 1 } };
    const a = contentFingerprint(like, 2000, true);
    expect(contentFingerprint({ ...like }, 2000, true)).toBe(a); // re-send: same occurredAt
    expect(contentFingerprint({ ...like, occurredAtMs: like.occurredAtMs + 500 }, 2000, true)).not.toBe(a); // a second like
    // with the bucket, the same second like would have been taken for a duplicate
    expect(contentFingerprint({ ...like, occurredAtMs: like.occurredAtMs + 500 }, 2000)).toBe(contentFingerprint(like, 2000));
  });

  it('is the digest the earlier streaming implementation gave (claims already in Redis still match after an upgrade)', () => {
    const streamed = (e: FingerprintInput, bucket: string) =>
      createHash('sha256')
        .update([e.tenantId, e.type, e.userId ?? '', e.liveSessionId ?? '', e.streamerId ?? '', e.courseId ?? '', bucket].join('\u0000'))
        .update('\u0000')
        .update(canonicalJson(e.payload))
        .digest('base64url')
        .slice(0, 24);
    const order = { ...base, type: 'order.paid', courseId: 'c-9', payload: { amount: { amountMinor: 9900, currency: 'CNY' }, orderId: 'o-1' } };
    expect(contentFingerprint(order, 2000)).toBe(streamed(order, String(Math.floor(order.occurredAtMs / 2000))));
    expect(contentFingerprint(base, 2000, true)).toBe(streamed(base, `t${base.occurredAtMs}`));
  });
});
