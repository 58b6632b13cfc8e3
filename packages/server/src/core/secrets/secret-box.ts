// Secrets at rest: AES-256-GCM with a random nonce per value, a versioned prefix and the id of the key that sealed it,
// so a store can tell plaintext from ciphertext, and values sealed with a previous key can be re-sealed with the new one.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { SecretSealer } from '../../storage/ports.ts';

/** `enc:v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`; a new algorithm gets a new version, old ones stay readable. */
const FORMAT = /^enc:v1:([0-9a-f]{8}):([A-Za-z0-9_-]+)$/;
const SEALED = /^enc:v\d+:/;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretKey {
  /** 32 bytes. */
  readonly key: Buffer;
  /** Where the key came from, for messages an operator acts on: a setting's name or the key file's path. */
  readonly source: string;
}

/** Stored secrets cannot be opened with the configured keys; main reports it and stops the start. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/** A short public name of a key (an HMAC under the key itself reveals nothing of it), stored beside each value. */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('wxgate secret key id').digest('hex').slice(0, 8);
}

export class SecretBox implements SecretSealer {
  readonly #current: SecretKey & { id: string };
  readonly #byId = new Map<string, SecretKey>();
  readonly #previousSetting: string;

  /** `previousSetting`: the setting that takes an old key during a rotation, named in mismatch messages. */
  constructor(current: SecretKey, previous: readonly SecretKey[] = [], previousSetting = 'WXGATE_SECRET_KEY_PREVIOUS') {
    for (const k of [current, ...previous]) {
      if (k.key.length !== 32) throw new SecretKeyError(`${k.source} must be 32 bytes, not ${k.key.length}`);
    }
    this.#current = { ...current, id: keyId(current.key) };
    // The current key wins an id clash with a previous one (the same key given twice).
    for (const k of [...previous].reverse()) this.#byId.set(keyId(k.key), k);
    this.#byId.set(this.#current.id, current);
    this.#previousSetting = previousSetting;
  }

  get currentKeyId(): string {
    return this.#current.id;
  }

  seal(plain: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `enc:v1:${this.#current.id}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(stored: string, context: string): string {
    const match = FORMAT.exec(stored);
    if (!match) {
      if (SEALED.test(stored)) throw new SecretKeyError(`a stored secret (${context}) is sealed in a format this wxgate does not read (${stored.split(':', 2).join(':')}); run the version that wrote it, or a newer one`);
      throw new SecretKeyError(`a stored secret (${context}) is not encrypted although every secret is encrypted at start; the database was changed outside wxgate`);
    }
    const [, id, payload] = match as unknown as [string, string, string];
    const key = this.#byId.get(id);
    if (!key) {
      throw new SecretKeyError(
        `stored secrets were encrypted with another key (key id ${id}) than ${this.#current.source} (key id ${this.#current.id}): ` +
        `start with the key they were written with, or, to change keys, give the old key as ${this.#previousSetting} for one start ` +
        `(wxgate re-encrypts everything with the new key; see README, "WXGATE_SECRET_KEY")`);
    }
    const raw = Buffer.from(payload, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`a stored secret (${context}) does not decrypt with ${key.source} although its key id matches: it was altered or copied from another row`);
    }
  }

  state(stored: string): 'current' | 'stale' | 'plain' {
    if (!SEALED.test(stored)) return 'plain';
    return stored.startsWith(`enc:v1:${this.#current.id}:`) ? 'current' : 'stale';
  }
}
