import { describe, expect, it } from 'vitest';
import { AppConfig } from '../../config/app-config';
import { SealedValueError, SecretBox } from './secret-box';

const box = (fill: number, keyId = `key${fill}`) =>
  new SecretBox({ encryptionKey: Buffer.alloc(32, fill), encryptionKeyId: keyId } as AppConfig);

describe('SecretBox', () => {
  it('round-trips and never repeats a ciphertext (fresh IV per value)', () => {
    const b = box(1);
    const first = b.seal('SEC0123456789abcdef');
    const second = b.seal('SEC0123456789abcdef');
    expect(first).not.toBe(second);
    expect(first).not.toContain('SEC0123456789abcdef');
    expect(first).toMatch(/^v1:key1:/);
    expect(b.open(first)).toBe('SEC0123456789abcdef');
  });

  it('refuses a value sealed under another key, naming the key ids', () => {
    expect(() => box(2).open(box(1).seal('x'))).toThrow(
      'sealed under key key1, but DATA_ENCRYPTION_KEY is key key2',
    );
  });

  it('detects tampering', () => {
    const sealed = box(1).seal('secret');
    const parts = sealed.split(':');
    parts[4] = Buffer.from('other').toString('base64');
    expect(() => box(1).open(parts.join(':'))).toThrow(SealedValueError);
  });
});
