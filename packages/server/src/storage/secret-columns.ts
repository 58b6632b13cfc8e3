// The columns that hold secrets, for every store: what each sealed value is bound to, sealing on write and opening on
// read, and what a stored value must become when the store opens (plaintext sealed, a previous key's value re-sealed).
import type { SecretSealer } from './ports.ts';

/** What each sealed value is bound to (the sealer's context): a value copied to another row or column does not open. */
export const secretContext = {
  proxy: (guid: string) => `instances.proxy:${guid}`,
  signingSecret: (appId: string) => `signing_secrets.secret:${appId}`,
  mediaSecret: (name: string) => `media_secrets.value:${name}`,
  ilinkBotToken: (guid: string) => `ilink_links.bot_token:${guid}`,
} as const;

/** Seals and opens through the store's sealer; without one (stores built for tests of other concerns) values pass as they are. */
export class SecretColumns {
  constructor(private readonly sealer: SecretSealer | undefined) {}

  /** '' stays '': an empty proxy means "none", and sealing it would only hide that. */
  seal(value: string, context: string): string {
    return this.sealer && value !== '' ? this.sealer.seal(value, context) : value;
  }

  open(value: string, context: string): string {
    return this.sealer && value !== '' ? this.sealer.open(value, context) : value;
  }
}

/**
 * What a stored secret must be rewritten to at start, or null when it is already sealed with the current key (opened
 * anyway, so that an altered value is reported now rather than at first use). Throws when no configured key opens it.
 */
export function resealedValue(sealer: SecretSealer, stored: string, context: string): { value: string; wasPlain: boolean } | null {
  const state = sealer.state(stored);
  if (state === 'current') {
    sealer.open(stored, context);
    return null;
  }
  return { value: sealer.seal(state === 'plain' ? stored : sealer.open(stored, context), context), wasPlain: state === 'plain' };
}
