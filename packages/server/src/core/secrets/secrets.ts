// App credentials: generation, scrypt hashing for storage, constant-time comparison.
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `app_key`: 20 chars; the vendor's clients check ≥ 10. */
export function generateAppKey(): string {
  return 'wxg_' + randomBytes(12).toString('base64url');
}

/** `app_secret`: 43 chars of base64url (256 bits); the vendor's clients check ≥ 20. */
export function generateAppSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(secret, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

/** A fixed-size digest so equal-time comparison works whatever the input length. */
export function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time for equal lengths; a different length is rejected at once (the length is not the secret). */
export function sameSecret(known: Buffer, given: string): boolean {
  if (Buffer.byteLength(given) !== known.length) return false;
  return timingSafeEqual(known, Buffer.from(given));
}
