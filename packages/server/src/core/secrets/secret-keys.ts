// The keys that encrypt secrets at rest: WXGATE_SECRET_KEY when set, else a key file made in the data directory on first
// start (mode 0600, beside credentials.json); WXGATE_SECRET_KEY_PREVIOUS opens what an old key sealed, for a rotation.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { SecretBox, SecretKeyError, type SecretKey } from './secret-box.ts';

export const KEY_FILE = 'secret.key';

export interface SecretKeySettings {
  readonly dataDir: string;
  /** WXGATE_SECRET_KEY, decoded (config.ts checked it is 32 bytes). */
  readonly current?: Buffer;
  /** WXGATE_SECRET_KEY_PREVIOUS, decoded. */
  readonly previous?: Buffer;
}

function keyFromFile(dataDir: string): SecretKey {
  const path = join(resolve(dataDir), KEY_FILE);
  const source = `the key file ${path} (used while WXGATE_SECRET_KEY is unset)`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new SecretKeyError(`${source} cannot be read: ${(err as Error).message}`);
    mkdirSync(resolve(dataDir), { recursive: true });
    try {
      // 'wx': never replace a key another process wrote in the meantime; losing a key loses every secret sealed with it
      writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    } catch (writeErr) {
      if ((writeErr as NodeJS.ErrnoException).code !== 'EEXIST') throw new SecretKeyError(`${source} cannot be created: ${(writeErr as Error).message}`);
    }
    text = readFileSync(path, 'utf8');
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new SecretKeyError(`${source} must hold 64 hex digits (32 bytes); restore it from a backup`);
  return { key: Buffer.from(hex, 'hex'), source };
}

/** The sealer for the store; creates the key file when no key is configured and none exists yet. */
export function loadSecretBox(settings: SecretKeySettings): SecretBox {
  const current: SecretKey = settings.current ? { key: settings.current, source: 'WXGATE_SECRET_KEY' } : keyFromFile(settings.dataDir);
  const previous: SecretKey[] = settings.previous ? [{ key: settings.previous, source: 'WXGATE_SECRET_KEY_PREVIOUS' }] : [];
  return new SecretBox(current, previous);
}
