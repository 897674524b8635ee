import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals secrets that must stay usable (webhook HMAC secrets, pseudonymisation keys) before they are
 * stored: AES-256-GCM under sha256(SECRET_ENCRYPTION_KEY) as `enc:v1:<iv>:<tag>:<ciphertext>` (base64url).
 * Without a key the value is stored as `plain:<secret>` — the README says so and the service logs a warning.
 */
export class SecretBox {
  private readonly key: Buffer | null;

  constructor(passphrase: string | undefined) {
    this.key = passphrase ? createHash('sha256').update(passphrase, 'utf8').digest() : null;
  }

  get encrypts(): boolean {
    return this.key !== null;
  }

  seal(secret: string): string {
    if (!this.key) return `plain:${secret}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `enc:v1:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
  }

  open(sealed: string): string {
    if (sealed.startsWith('plain:')) return sealed.slice(6);
    const parts = sealed.split(':');
    if (parts.length !== 5 || parts[0] !== 'enc' || parts[1] !== 'v1') throw new Error('unrecognised sealed secret');
    if (!this.key) throw new Error('secret is encrypted but SECRET_ENCRYPTION_KEY is not set');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parts[2], 'base64url'));
    decipher.setAuthTag(Buffer.from(parts[3], 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[4], 'base64url')), decipher.final()]).toString('utf8');
  }
}
