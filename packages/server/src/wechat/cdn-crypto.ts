// WeChat CDN object encryption: AES-128-ECB with PKCS#7 padding under a per-object key written as 32 hex characters.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

/** An `aes_key` as WeChat writes it: 16 key bytes as 32 lowercase hex characters. */
export const AES_KEY_PATTERN = /^[0-9a-f]{32}$/;

/** Whether a string is usable as a CDN `aes_key` (case-insensitive, as clients send both). */
export function isAesKey(value: string): boolean {
  return AES_KEY_PATTERN.test(value.toLowerCase());
}

/** A new `aes_key` from 16 random bytes (the caller owns the randomness so tests can fix it). */
export function aesKeyFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`an aes_key needs 16 bytes, got ${bytes.length}`);
  return Buffer.from(bytes).toString('hex');
}

function keyBytes(aesKey: string): Buffer {
  if (!isAesKey(aesKey)) throw new RangeError('aes_key must be 32 hex characters');
  return Buffer.from(aesKey, 'hex');
}

/** The ciphertext length WeChat reports for a plaintext of `plainSize` bytes (PKCS#7 always adds 1–16 bytes). */
export function encryptedSize(plainSize: number): number {
  return (Math.floor(plainSize / 16) + 1) * 16;
}

/** Encrypts a whole object the way the CDN stores it. */
export function encryptCdnObject(plain: Uint8Array, aesKey: string): Buffer {
  const cipher = createCipheriv('aes-128-ecb', keyBytes(aesKey), null);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

/** Why a ciphertext did not decrypt: the key (bad padding) or the data (not a whole number of blocks). */
export class CdnDecryptError extends Error {
  constructor(readonly reason: 'bad_length' | 'bad_padding') {
    super(reason === 'bad_length' ? 'ciphertext is not a whole number of AES blocks' : 'wrong aes_key (padding check failed)');
  }
}

/**
 * Decrypts a CDN object. A wrong key is detected by the PKCS#7 check, which a random key passes with probability
 * about 1/256; callers that must refuse wrong keys reliably also compare `aesKeyVerifier` (see below).
 */
export function decryptCdnObject(cipherText: Uint8Array, aesKey: string): Buffer {
  if (cipherText.length === 0 || cipherText.length % 16 !== 0) throw new CdnDecryptError('bad_length');
  const decipher = createDecipheriv('aes-128-ecb', keyBytes(aesKey), null);
  try {
    return Buffer.concat([decipher.update(cipherText), decipher.final()]);
  } catch {
    throw new CdnDecryptError('bad_padding');
  }
}

/**
 * A value stored beside an object to recognise its key without storing the key: sha256 over a domain label and the
 * key bytes. The key itself is 128 random bits, so a fast hash is enough (no password stretching needed).
 */
export function aesKeyVerifier(aesKey: string): string {
  return createHash('sha256').update('wxgate-cdn-key\0').update(keyBytes(aesKey)).digest('hex');
}

/** md5 of the plaintext, lowercase hex, as `file_md5` / `md5=` in message XML. */
export function fileMd5(plain: Uint8Array): string {
  return createHash('md5').update(plain).digest('hex');
}
