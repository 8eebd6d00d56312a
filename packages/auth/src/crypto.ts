import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelope for secrets at rest (tenant shared secrets): 12-byte IV ‖ ciphertext ‖
 * 16-byte tag. The key is 32 bytes, given base64 in config (ENCRYPTION_KEY).
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(keyBase64: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('ENCRYPTION_KEY must be 32 bytes, base64 encoded');
  }

  /** Seals `plaintext`; the result is a fresh Uint8Array (what Prisma's Bytes columns take). */
  seal(plaintext: string, associatedData?: string): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    if (associatedData) cipher.setAAD(Buffer.from(associatedData));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return new Uint8Array(Buffer.concat([iv, ct, cipher.getAuthTag()]));
  }

  open(sealed: Uint8Array, associatedData?: string): string {
    const buf = Buffer.from(sealed);
    if (buf.length < 28) throw new Error('sealed secret is too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    if (associatedData) decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(buf.subarray(buf.length - 16));
    return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }
}
