import { hashApiKey } from '@livepromo/service-kit';
import { mintApiKey } from './api-key';
import { pseudonymiseUserId } from './pseudonymise';
import { SecretBox } from './secret-box';

describe('tenant secrets', () => {
  it('mints keys whose hash is what gets stored and published', () => {
    const k = mintApiKey('shop-a');
    expect(k.key).toMatch(/^lp_shop-a_[\w-]{43}$/);
    expect(k.keyHash).toBe(hashApiKey(k.key));
    expect(mintApiKey('shop-a').key).not.toBe(k.key);
  });

  it('seals secrets with AES-256-GCM when a key is configured, and detects tampering', () => {
    const box = new SecretBox('a-long-encryption-key');
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed)).toBe('whsec_abc');
    const parts = sealed.split(':');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox(undefined).open(sealed)).toThrow('SECRET_ENCRYPTION_KEY');
  });

  it('stores in clear (and says so) without a key', () => {
    const box = new SecretBox(undefined);
    expect(box.encrypts).toBe(false);
    expect(box.open(box.seal('s'))).toBe('s');
  });

  it('pseudonymises deterministically per tenant key', () => {
    const a = pseudonymiseUserId('key-a', 'alice');
    expect(a).toMatch(/^p_[\w-]{24}$/);
    expect(pseudonymiseUserId('key-a', 'alice')).toBe(a);
    expect(pseudonymiseUserId('key-b', 'alice')).not.toBe(a);
    expect(pseudonymiseUserId('key-a', 'bob')).not.toBe(a);
  });
});
