// Per-app webhook signing secrets: created on first use, rotated with a grace period during which both sign.
import { NO_PEERS, type Peers } from '../core/peers.ts';
import type { SigningSecretRepository } from '../storage/ports.ts';
import { newSigningSecret } from './signing.ts';

/** Secrets are read for every webhook; a second of caching spares the store, rotation clears it at once on every node. */
const CACHE_MS = 1000;

export class SigningKeys {
  readonly #cache = new Map<string, { secrets: string[]; until: number }>();

  constructor(private readonly repo: SigningSecretRepository, private readonly now: () => number, private readonly peers: Peers = NO_PEERS) {
    peers.onNotice((notice) => {
      if (notice.kind === 'signing-secrets') this.#cache.delete(notice.appId);
    });
    peers.onResync(() => this.#cache.clear());
  }

  /** The secrets that sign right now, newest first; creates the app's first one when it has none. */
  async active(appId: string): Promise<string[]> {
    const cached = this.#cache.get(appId);
    if (cached && cached.until > this.now()) return cached.secrets;
    let secrets = await this.repo.active(appId, this.now());
    if (secrets.length === 0) {
      await this.repo.add(appId, newSigningSecret(), this.now());
      secrets = await this.repo.active(appId, this.now());
    }
    // Never cache past the moment an expiring secret stops signing.
    const expiry = Math.min(...secrets.map((s) => s.expiresAt ?? Infinity));
    const list = secrets.map((s) => s.secret);
    this.#cache.set(appId, { secrets: list, until: Math.min(this.now() + CACHE_MS, expiry) });
    return list;
  }

  /** Every secret still signing, with its dates, for the app's operators. */
  list(appId: string) {
    return this.repo.active(appId, this.now());
  }

  /** A new secret signs from now on; the current ones keep signing for `graceSeconds`, then stop. */
  async rotate(appId: string, graceSeconds: number): Promise<{ secret: string; previousValidUntil: number | null }> {
    this.#cache.delete(appId);
    const now = this.now();
    const hadSecrets = (await this.repo.active(appId, now)).length > 0;
    await this.repo.expireCurrent(appId, now + graceSeconds * 1000);
    const secret = newSigningSecret();
    await this.repo.add(appId, secret, now);
    this.#cache.delete(appId);
    void this.peers.announce({ kind: 'signing-secrets', appId });
    return { secret, previousValidUntil: hadSecrets ? now + graceSeconds * 1000 : null };
  }
}
