import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Seals credentials at rest with AES-256-GCM under DATA_ENCRYPTION_KEY: a fresh random IV per value, and the
 * key's id kept beside the ciphertext (`v1:<key id>:<iv>:<tag>:<ciphertext>`, base64), so a value sealed under
 * another key is recognised as such instead of decrypting to garbage, and keys can later be rotated.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;
  private readonly keyId: string;

  constructor(config: AppConfig) {
    this.key = config.encryptionKey;
    this.keyId = config.encryptionKeyId;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.keyId,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      ciphertext.toString('base64'),
    ].join(':');
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, ciphertext] = sealed.split(':');
    if (version !== VERSION || ciphertext === undefined) throw new SealedValueError('not a sealed value');
    if (keyId !== this.keyId) {
      throw new SealedValueError(`sealed under key ${keyId}, but DATA_ENCRYPTION_KEY is key ${this.keyId}`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SealedValueError('the value was altered or the key is wrong');
    }
  }

  sealOptional(plaintext: string | null | undefined): string | null {
    return plaintext === null || plaintext === undefined ? null : this.seal(plaintext);
  }

  openOptional(sealed: string | null): string | null {
    return sealed === null ? null : this.open(sealed);
  }
}

/** A stored secret cannot be opened. The message never contains the secret. */
export class SealedValueError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a stored secret: ${reason}`);
    this.name = 'SealedValueError';
  }
}
